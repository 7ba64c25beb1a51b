// mamori intel sight: records hits in our own logs (sightings) on values, from the command line
// or a file, until the log collector records them itself. Blocklist builds use them: listed
// values our hosts reach rank higher (relevance), and aggregates avoid unlisted addresses our
// hosts use (docs/blocklists.md). Input format: docs/formats/sightings.md.
#include <fmt/format.h>

#include <charconv>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include "cli/context.h"
#include "core/indicator.h"

namespace mamori::cli {
namespace {

struct SightArgs {
  std::vector<std::string> values;
  std::string file;
  std::string observer = "logs";
  int64_t count = 1;
  std::string at;
  bool json = false;
};

struct ParsedLine {
  std::string value;
  int64_t count = 1;
};

// A count of hits: decimal digits only, within int64 (a 30-digit "count" is a bad line, not a
// crash).
std::optional<int64_t> ParseCount(std::string_view s) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || s.front() == '-' || error != std::errc() || end != s.data() + s.size()) {
    return std::nullopt;
  }
  return value;
}

// One line: "VALUE", "VALUE,COUNT" or "COUNT VALUE" (the output of `sort | uniq -c`).
std::optional<ParsedLine> ParseSightingLine(std::string_view line, int64_t default_count) {
  std::istringstream words{std::string(line)};
  std::string first, second, extra;
  words >> first >> second >> extra;
  if (first.empty() || !extra.empty()) return std::nullopt;
  if (!second.empty()) {
    auto count = ParseCount(first);
    if (!count) return std::nullopt;
    return ParsedLine{second, *count};
  }
  if (auto comma = first.rfind(','); comma != std::string::npos) {
    auto count = ParseCount(std::string_view(first).substr(comma + 1));
    if (!count) return std::nullopt;
    return ParsedLine{first.substr(0, comma), *count};
  }
  return ParsedLine{first, default_count};
}

int Sight(Context& ctx, const SightArgs& args) {
  if (args.observer.rfind("malware:", 0) == 0 || args.observer.rfind("analysis:", 0) == 0) {
    return Fail(Error{ErrorCode::kInvalidArgument,
                      "observers named malware:… or analysis:… are our own analyses' findings, "
                      "not log hits; choose another name",
                      "--observer " + args.observer});
  }
  UnixSeconds at = SystemClock::Instance().Now();
  if (!args.at.empty()) {
    at = ParseTimestamp(args.at);
    if (at < 0) {
      return Fail(Error{ErrorCode::kInvalidArgument,
                        "not a time: give RFC 3339 (2026-11-30T08:00:00Z), a date or Unix seconds",
                        "--at " + args.at});
    }
  }
  // Summed per value first: one sighting row per value and import.
  std::map<Indicator, int64_t> hits;
  int64_t malformed = 0, lines = 0;
  auto add = [&](std::string_view text, int64_t count, const std::string& where) {
    auto normalized = NormalizeIndicator(text);
    if (!normalized || count <= 0) {
      ++malformed;
      std::cerr << fmt::format("{}: skipped: {}\n", where,
                               normalized ? "count must be positive" : normalized.error().message);
      return;
    }
    hits[normalized->indicator] += count;
  };
  for (const auto& v : args.values) add(v, args.count, "argument " + v);
  if (!args.file.empty()) {
    std::ifstream file_stream;
    std::istream* in = &std::cin;
    if (args.file != "-") {
      file_stream.open(args.file);
      if (!file_stream) {
        return Fail(Error{ErrorCode::kIo, "cannot read the sightings file", args.file});
      }
      in = &file_stream;
    }
    std::string line;
    while (std::getline(*in, line)) {
      ++lines;
      auto start = line.find_first_not_of(" \t\r");
      if (start == std::string::npos || line[start] == '#') continue;
      std::string where = fmt::format("{}:{}", args.file, lines);
      auto parsed = ParseSightingLine(line, args.count);
      if (!parsed) {
        ++malformed;
        std::cerr << where << ": skipped: expected VALUE, VALUE,COUNT or COUNT VALUE\n";
        continue;
      }
      add(parsed->value, parsed->count, where);
    }
  }
  if (hits.empty() && malformed == 0) {
    return Fail(Error{ErrorCode::kInvalidArgument, "nothing to record: give values or --file",
                      "intel sight"});
  }
  auto store = ctx.GetStore();
  if (!store) return Fail(store.error());
  int64_t total = 0;
  for (const auto& [indicator, count] : hits) {
    store::Sighting s;
    s.indicator = indicator;
    s.observed_at = at;
    s.observer = args.observer;
    s.count = count;
    if (auto id = (*store)->AddSighting(s); !id) return Fail(id.error());
    total += count;
  }
  if (args.json) {
    PrintJson({{"values", hits.size()}, {"hits", total}, {"malformed", malformed},
               {"observer", args.observer}, {"observed_at", FormatIso8601(at)}});
  } else {
    std::cout << fmt::format("recorded {} hits on {} values as {} at {}{}\n", WithThousands(total),
                             WithThousands(static_cast<int64_t>(hits.size())), args.observer,
                             FormatIso8601(at),
                             malformed ? fmt::format("; {} lines skipped", malformed) : "");
  }
  return malformed > 0 ? 2 : 0;
}

}  // namespace

void RegisterSightCommand(CLI::App& intel_cmd, Context& ctx) {
  auto args = std::make_shared<SightArgs>();
  auto* sight = AddCommand(
      intel_cmd, "sight",
      "Record hits in our own logs on values (sightings), for blocklist relevance.\n"
      "Blocklist builds rank listed values our hosts reach above those they never reach, and "
      "keep\naggregate CIDRs off unlisted addresses our hosts use (docs/blocklists.md). Lines "
      "of --file are\nVALUE, VALUE,COUNT or COUNT VALUE (`sort | uniq -c` output); '#' starts "
      "a comment; bad lines\nare reported, skipped and make the exit status 2 "
      "(docs/formats/sightings.md).\nExamples:\n"
      "  mamori intel sight 203.0.113.7 --count 12 --observer fw:edge\n"
      "  awk '{print $1}' access.log | sort | uniq -c | mamori intel sight --file - "
      "--observer nginx:web1");
  sight->add_option("values", args->values, "Values seen (IP, domain, URL, hash)");
  sight->add_option("--file", args->file, "Read values from this file ('-' for stdin)");
  sight->add_option("--observer", args->observer, "What saw them, e.g. fw:edge, nginx:web1")
      ->capture_default_str();
  sight->add_option("--count", args->count, "Hits per value without a count")
      ->capture_default_str();
  sight->add_option("--at", args->at, "When (RFC 3339, date or Unix seconds; default now)");
  sight->add_flag("--json", args->json, "Print the summary as JSON");
  sight->callback([&ctx, args] { ctx.exit_code = Sight(ctx, *args); });
}

}  // namespace mamori::cli
