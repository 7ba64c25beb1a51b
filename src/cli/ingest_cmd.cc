// mamori ingest FILE|- --format F: reads one log file (plain or gzip) or stdin through a log
// parser and reports what it made of every line; with --events, the first events as ECS JSON.
// With --rules it also runs the detection pipeline (rse/detect/pipeline.h) over the events.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <ctime>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/collect_support.h"
#include "cli/context.h"
#include "rse/detect/detection_json.h"
#include "rse/detect/pipeline.h"
#include "rse/ingest/event_json.h"
#include "rse/ingest/ingest.h"

namespace mamori::cli {
namespace {

using nlohmann::json;
namespace ingest = rse::ingest;
namespace detect = rse::detect;

struct IngestArgs {
  std::string file;
  std::string format;
  bool json = false;
  int64_t events = 0;
  std::string rules;  // run these rules (file or directory) when given
  bool no_store = false;
  bool evidence = false;  // include evidence events in the report
  std::string input;  // name of the input in stored detections
};

// The detection side of an import: rules, the store (unless --no-store) and the pipeline.
struct Detection {
  std::unique_ptr<detect::StoreIndicatorLookup> intel;
  std::unique_ptr<detect::DetectionPipeline> pipeline;
  std::vector<detect::Detection> seen;  // closed detections, for the report
  std::string input;
};

Expected<std::unique_ptr<Detection>> StartDetection(Context& ctx, const IngestArgs& args) {
  // The configuration sets up logging (to stderr), where rejected rules are reported.
  MAMORI_RETURN_IF_ERROR(ctx.GetConfig());
  MAMORI_ASSIGN_OR_RETURN(auto rules, LoadRulesForDetection(args.rules));
  auto d = std::make_unique<Detection>();
  store::Store* store = nullptr;
  if (!args.no_store) {
    MAMORI_ASSIGN_OR_RETURN(store, ctx.GetStore());
    d->intel = std::make_unique<detect::StoreIndicatorLookup>(*store);
  }
  detect::PipelineOptions options;
  options.input = !args.input.empty() ? args.input
                  : args.file == "-"  ? std::string("import:stdin")
                                      : "import:" + std::filesystem::absolute(args.file).string();
  d->pipeline = std::make_unique<detect::DetectionPipeline>(
      rules, SystemClock::Instance(), store, d->intel.get(), options);
  d->input = options.input;
  Detection* raw = d.get();
  d->pipeline->set_on_detection([raw, keep_evidence = args.evidence](const detect::Detection& det) {
    if (det.state != detect::Detection::State::kClosed) return;
    // The report needs the evidence only when asked for it (it is in the store anyway).
    detect::Detection& kept = raw->seen.emplace_back();
    kept.state = det.state;
    kept.rule_id = det.rule_id;
    kept.title = det.title;
    kept.level = det.level;
    kept.group_field = det.group_field;
    kept.group = det.group;
    kept.first_time = det.first_time;
    kept.last_time = det.last_time;
    kept.count = det.count;
    kept.distinct = det.distinct;
    kept.evidence_dropped = det.evidence_dropped;
    if (keep_evidence) kept.evidence = det.evidence;
  });
  return d;
}

void PrintDetections(const Detection& d) {
  std::cout << fmt::format("{} detections\n", d.seen.size());
  for (const auto& r : d.seen) {
    std::cout << fmt::format("  {} [{}] {} {}={} count {} from {} to {}\n", r.rule_id,
                             detect::LevelName(r.level), r.title,
                             r.group_field.empty() ? "all" : r.group_field, r.group, r.count,
                             ingest::IsoMicros(r.first_time), ingest::IsoMicros(r.last_time));
    for (const auto& e : r.evidence) std::cout << "      " << e.raw << '\n';
  }
}

int ListFormats() {
  std::cout << "Log formats (mamori ingest --format NAME):\n";
  for (const auto& f : ingest::LogFormats()) {
    std::cout << fmt::format("  {:<17} {}\n                    see {}\n", f.name, f.description,
                             f.doc);
  }
  return 0;
}

json EventJson(const ingest::Event& event) { return ingest::EventToJson(event); }
std::string Dump(const json& j, int indent = -1) { return ingest::DumpJson(j, indent); }

int Run(Context& ctx, const IngestArgs& args) {
  if (args.format == "help") return ListFormats();
  std::unique_ptr<Detection> detection;
  if (!args.rules.empty()) {
    auto started = StartDetection(ctx, args);
    if (!started) return Fail(started.error());
    detection = std::move(*started);
  }
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
  int64_t since_sync = 0;
  auto sink = [&](const ingest::Event& event) {
    if (detection) {
      detection->pipeline->Process(event);
      // Windows close by log time; writing them now and then bounds memory and shows progress
      // in the store while a long file is read.
      if (++since_sync == 65536) {
        since_sync = 0;
        (void)detection->pipeline->Sync(0);
      }
    }
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
  if (detection) {
    // Store errors were retried at each sync; the last one left is the one to report.
    if (auto done = detection->pipeline->Finish(); !done) return Fail(done.error());
  }

  int exit_code = stats->malformed > 0 ? 2 : 0;
  if (args.json) {
    json out = {{"file", args.file}, {"format", args.format}};
    out.update(ingest::IngestStatsToJson(*stats));
    if (args.events > 0) out["first_events"] = events;
    if (detection) {
      json detections = json::array();
      for (const auto& d : detection->seen) {
        detections.push_back(detect::DetectionToJson(d, detection->input, args.evidence));
      }
      const auto& ps = detection->pipeline->stats();
      // Moved, not copied: a big log can have tens of thousands of detections.
      out["detection"] = json::object();
      json& report = out["detection"];
      report["detections"] = std::move(detections);
      report["rules"] = args.rules;
      report["matched_events"] = ps.matched_events;
      report["stored"] = !args.no_store;
      report["sightings"] = ps.sightings;
    }
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
  if (detection) {
    std::cout << fmt::format("{} events matched a rule; ",
                             WithThousands(detection->pipeline->stats().matched_events));
    PrintDetections(*detection);
    if (!args.no_store) {
      std::cout << fmt::format("stored; {} intel sightings recorded (see `mamori detections list`)\n",
                               detection->pipeline->stats().sightings);
    }
  }
  return exit_code;
}

}  // namespace

void RegisterIngestCommand(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<IngestArgs>();
  auto* cmd = AddCommand(
      app, "ingest",
      "Import a log file: parse it, and with --rules detect attacks in it.\n"
      "Reads a plain or gzip'd file, or stdin ('-'), through one log format and counts lines,\n"
      "events, skipped, malformed (with reasons and the first examples), too long and invalid\n"
      "UTF-8 lines. With --rules, every event is matched against the rules in one pass;\n"
      "detections are stored (with their evidence lines) and their attackers recorded as intel\n"
      "sightings, which raise their blocklist priority — unless --no-store. Rule windows run on\n"
      "the log's own timestamps. Exit status: 0, 2 when lines were malformed, 1 on errors.\n"
      "Examples:\n"
      "  mamori ingest /var/log/nginx/access.log --format nginx-combined\n"
      "  mamori ingest /var/log/auth.log --format sshd --rules rules/\n"
      "  mamori ingest eve.json --format suricata-eve --rules rules/ --no-store --json\n"
      "  mamori ingest /var/log/auth.log.2.gz --format sshd --events 5\n"
      "  journalctl -u ssh -o short-iso | mamori ingest - --format sshd --json\n"
      "  mamori ingest --format help");
  cmd->add_option("file", args->file, "Log file, plain or gzip ('-' for stdin)");
  cmd->add_option("--format", args->format, "Log format; 'help' lists them")->required();
  cmd->add_flag("--json", args->json, "Print the counts as JSON");
  cmd->add_option("--events", args->events, "Also print the first N events as JSON (ECS names)")
      ->type_name("N");
  cmd->add_option("--rules", args->rules, "Detect with these rules (a .yml file or a directory)")
      ->type_name("PATH");
  cmd->add_flag("--no-store", args->no_store,
                "With --rules: print detections only; store nothing (no intel lookups either)");
  cmd->add_flag("--evidence", args->evidence,
                "With --rules: show each detection's first events in the report (stored "
                "detections have them anyway: `mamori detections show ID`)");
  cmd->add_option("--input", args->input,
                  "Name of this input in stored detections (default import:ABSOLUTE_PATH)");
  cmd->callback([&ctx, args] {
    if (args->format != "help" && args->file.empty()) {
      ctx.exit_code = Fail(Error{ErrorCode::kInvalidArgument,
                                 "which log? give a file, or '-' for stdin", "mamori ingest"});
      return;
    }
    ctx.exit_code = Run(ctx, *args);
  });
}

}  // namespace mamori::cli
