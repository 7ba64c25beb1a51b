// mamori ingest FILE|- --format F: reads one log file (plain or gzip) or stdin through a log
// parser and reports what it made of every line; with --events, the first events as ECS JSON.
// It stores nothing yet: detections (issue 8's rules) will consume the same events.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/context.h"
#include "rse/ingest/ingest.h"

namespace mamori::cli {
namespace {

using nlohmann::json;
namespace ingest = rse::ingest;

struct IngestArgs {
  std::string file;
  std::string format;
  bool json = false;
  int64_t events = 0;
};

int ListFormats() {
  std::cout << "Log formats (mamori ingest --format NAME):\n";
  for (const auto& f : ingest::LogFormats()) {
    std::cout << fmt::format("  {:<17} {}\n                    see {}\n", f.name, f.description,
                             f.doc);
  }
  return 0;
}

std::string IsoTime(ingest::UnixMicros micros) {
  std::time_t seconds = static_cast<std::time_t>(micros / 1'000'000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:06d}Z", buf, static_cast<int>(micros % 1'000'000));
}

// One event with ECS dotted names; "@timestamp" when the line has a time.
json EventJson(const ingest::Event& event) {
  json out = json::object();
  if (event.time != 0) out["@timestamp"] = IsoTime(event.time);
  for (const auto& [name, value] : event.Fields()) {
    // Log bytes need not be UTF-8; nlohmann would throw on dump, so replace bad sequences.
    out[std::string(name)] = std::string(value);
  }
  return out;
}

std::string Dump(const json& j, int indent = -1) {
  return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

int Run(const IngestArgs& args) {
  if (args.format == "help") return ListFormats();
  ingest::IngestOptions options;
  options.parser.now = std::time(nullptr);
  // Progress on a terminal for long files: bytes read of the total, lines so far.
  bool show_progress = StderrIsTerminal();
  auto start = std::chrono::steady_clock::now();
  bool printed = false;
  if (show_progress) {
    options.progress = [&](const ingest::LineReader& reader, const ingest::IngestStats& stats) {
      double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (elapsed < 1.0) return;
      std::string done =
          reader.input_size() > 0
              ? fmt::format("{:.0f}%", 100.0 * reader.input_bytes() / reader.input_size())
              : fmt::format("{} MB", reader.input_bytes() >> 20);
      std::fprintf(stderr, "\r\033[Kingest %s: %s, %s lines (%.1fs)", reader.name().c_str(),
                   done.c_str(), WithThousands(static_cast<int64_t>(stats.lines)).c_str(), elapsed);
      std::fflush(stderr);
      printed = true;
    };
  }

  json events = json::array();
  int64_t wanted = args.events;
  auto sink = [&](const ingest::Event& event) {
    if (wanted <= 0) return true;
    --wanted;
    if (args.json) {
      events.push_back(EventJson(event));
    } else {
      std::cout << Dump(EventJson(event)) << '\n';
    }
    return true;
  };
  auto stats = ingest::IngestFile(args.file, args.format, sink, options);
  if (printed) std::fprintf(stderr, "\r\033[K");
  if (!stats) return Fail(stats.error());

  int exit_code = stats->malformed > 0 ? 2 : 0;
  if (args.json) {
    json reasons = json::object();
    for (const auto& [reason, count] : stats->malformed_reasons) reasons[reason] = count;
    json examples = json::array();
    for (const auto& e : stats->examples) {
      examples.push_back({{"line", e.line}, {"reason", e.reason}, {"excerpt", e.excerpt}});
    }
    json out = {{"file", args.file},
                {"format", args.format},
                {"lines", stats->lines},
                {"events", stats->events},
                {"skipped", stats->skipped},
                {"malformed", stats->malformed},
                {"too_long", stats->too_long},
                {"invalid_utf8", stats->invalid_utf8},
                {"time_went_backwards", stats->time_went_backwards},
                {"malformed_reasons", reasons},
                {"examples", examples}};
    if (args.events > 0) out["first_events"] = events;
    std::cout << Dump(out, 2) << '\n';
    return exit_code;
  }
  std::cout << fmt::format(
      "{} ({}): {} lines, {} events, {} skipped, {} malformed, {} too long, {} invalid UTF-8\n",
      args.file == "-" ? "stdin" : args.file, args.format,
      WithThousands(static_cast<int64_t>(stats->lines)),
      WithThousands(static_cast<int64_t>(stats->events)),
      WithThousands(static_cast<int64_t>(stats->skipped)),
      WithThousands(static_cast<int64_t>(stats->malformed)),
      WithThousands(static_cast<int64_t>(stats->too_long)),
      WithThousands(static_cast<int64_t>(stats->invalid_utf8)));
  if (stats->time_went_backwards > 0) {
    std::cout << fmt::format("time went backwards {} times (largest jump {}s)\n",
                             stats->time_went_backwards, stats->largest_backwards_jump / 1'000'000);
  }
  for (const auto& [reason, count] : stats->malformed_reasons) {
    std::cout << fmt::format("  {}: {}\n", reason, WithThousands(static_cast<int64_t>(count)));
  }
  for (const auto& e : stats->examples) {
    std::cout << fmt::format("  line {}: {}: {}\n", e.line, e.reason, e.excerpt);
  }
  return exit_code;
}

}  // namespace

void RegisterIngestCommand(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<IngestArgs>();
  auto* cmd = AddCommand(
      app, "ingest",
      "Parse a log file and report what each line became (stores nothing yet).\n"
      "Reads a plain or gzip'd file, or stdin ('-'), through one log format and counts lines,\n"
      "events, skipped, malformed (with reasons and the first examples), too long and invalid\n"
      "UTF-8 lines. Nothing is stored and no rules run yet: this checks that a log is read as\n"
      "intended before detection uses it. Exit status: 0, 2 when lines were malformed, 1 on\n"
      "errors.\n"
      "Examples:\n"
      "  mamori ingest /var/log/nginx/access.log --format nginx-combined\n"
      "  mamori ingest /var/log/auth.log.2.gz --format sshd --events 5\n"
      "  journalctl -u ssh -o short-iso | mamori ingest - --format sshd --json\n"
      "  mamori ingest --format help");
  cmd->add_option("file", args->file, "Log file, plain or gzip ('-' for stdin)");
  cmd->add_option("--format", args->format, "Log format; 'help' lists them")->required();
  cmd->add_flag("--json", args->json, "Print the counts as JSON");
  cmd->add_option("--events", args->events, "Also print the first N events as JSON (ECS names)")
      ->type_name("N");
  cmd->callback([&ctx, args] {
    if (args->format != "help" && args->file.empty()) {
      ctx.exit_code = Fail(Error{ErrorCode::kInvalidArgument,
                                 "which log? give a file, or '-' for stdin", "mamori ingest"});
      return;
    }
    ctx.exit_code = Run(*args);
  });
}

}  // namespace mamori::cli
