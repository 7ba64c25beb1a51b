// mamori domain ingest: reads domain evidence files (passive DNS, popularity lists, zone
// snapshots, RDAP, labels) into the store (domain/ingest/ingest.h, docs/formats/).
#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <memory>

#include "cli/context.h"
#include "domain/ingest/directory.h"
#include "domain/ingest/ingest.h"

namespace mamori::cli {

namespace {

struct IngestArgs {
  std::vector<std::string> files;
  std::string format, date, name, source, dir;
  bool zeek = false;
  bool json = false;
};

// One self-overwriting stderr line ("file: 41% of 1.2 GB"), redrawn at most 5 times a second.
class ProgressLine {
 public:
  explicit ProgressLine(std::string label) : label_(std::move(label)) {}
  ~ProgressLine() {
    if (drawn_) std::cerr << "\r\033[K" << std::flush;
  }
  void Update(int64_t done, int64_t total) {
    const auto now = std::chrono::steady_clock::now();
    if (drawn_ && now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    drawn_ = true;
    if (total > 0) {
      std::cerr << fmt::format("\r\033[K{}: {:.0f}% of {:.1f} MB", label_, 100.0 * done / total,
                               total / 1e6);
    } else {
      std::cerr << fmt::format("\r\033[K{}: {:.1f} MB", label_, done / 1e6);
    }
    std::cerr << std::flush;
  }

 private:
  std::string label_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_;
};

nlohmann::json ReportToJson(const domain::ingest::IngestReport& r) {
  return {{"file", r.file},       {"format", r.format},       {"lines", r.lines},
          {"records", r.records}, {"malformed", r.malformed}, {"ignored", r.ignored},
          {"stored", r.stored},   {"errors", r.errors},       {"seconds", r.seconds}};
}

int RunIngestDirectory(Context& ctx, const IngestArgs& a) {
  auto store = ctx.GetStore();
  if (!store) return Fail(store.error());
  domain::ingest::DirectoryOptions options;
  options.zeek = a.zeek;
  if (StderrIsTerminal() && !a.json) {
    options.progress = [](std::string_view file, size_t done, size_t total) {
      std::cerr << fmt::format("\r\033[K[{}/{}] {}", done + 1, total, file) << std::flush;
    };
  }
  auto r = domain::ingest::IngestEvidenceDirectory(**store, a.dir, options);
  if (options.progress) std::cerr << "\r\033[K" << std::flush;
  if (!r) return Fail(r.error());
  int64_t lines = 0, records = 0, malformed = r->blocklist_malformed, stored = 0;
  nlohmann::json files = nlohmann::json::array();
  for (const auto& f : r->files) {
    lines += f.lines;
    records += f.records;
    malformed += f.malformed;
    stored += f.stored;
    files.push_back(ReportToJson(f));
  }
  if (a.json) {
    PrintJson({{"directory", a.dir},
               {"files", files},
               {"blocklist_snapshots", r->blocklist_snapshots},
               {"blocklist_entries", r->blocklist_entries},
               {"blocklist_malformed", r->blocklist_malformed},
               {"seconds", r->seconds}});
  } else {
    std::cout << fmt::format(
        "{}: {} evidence files ({} lines, {} records, {} stored, {} malformed), {} blocklist "
        "snapshots ({} entries) in {:.1f} s\n",
        a.dir, r->files.size(), WithThousands(lines), WithThousands(records), WithThousands(stored),
        WithThousands(malformed), r->blocklist_snapshots, WithThousands(r->blocklist_entries),
        r->seconds);
    for (const auto& f : r->files) {
      for (const auto& e : f.errors) std::cout << "  " << e << "\n";
    }
  }
  return malformed == 0 ? 0 : 2;
}

int RunIngest(Context& ctx, const IngestArgs& a) {
  if (!a.dir.empty()) {
    if (!a.files.empty()) {
      return Fail(Error{ErrorCode::kInvalidArgument, "give FILEs with --format, or --dir, not both",
                        "domain ingest"});
    }
    return RunIngestDirectory(ctx, a);
  }
  if (a.files.empty() || a.format.empty()) {
    return Fail(Error{ErrorCode::kInvalidArgument,
                      "give FILE... with --format F, or --dir DIR (see --help)", "domain ingest"});
  }
  domain::ingest::IngestOptions options;
  if (!a.date.empty()) {
    const UnixSeconds t = ParseTimestamp(a.date);
    if (t < 0) {
      return Fail(Error{ErrorCode::kInvalidArgument,
                        fmt::format("'{}' is not a date (YYYY-MM-DD)", a.date), "--date"});
    }
    options.day = static_cast<store::Day>(t / 86400);
  }
  options.name = a.name;
  options.source = a.source;
  auto store = ctx.GetStore();
  if (!store) return Fail(store.error());
  int failed = 0;
  nlohmann::json reports = nlohmann::json::array();
  for (const std::string& file : a.files) {
    std::unique_ptr<ProgressLine> progress;
    if (StderrIsTerminal() && !a.json) {
      progress = std::make_unique<ProgressLine>(file);
      options.progress = [p = progress.get()](int64_t done, int64_t total) { p->Update(done, total); };
    } else {
      options.progress = nullptr;
    }
    auto r = domain::ingest::IngestEvidenceFile(**store, file, a.format, options);
    progress.reset();
    if (!r) {
      ++failed;
      if (a.json) {
        reports.push_back({{"file", file}, {"error", r.error().message}});
      } else {
        Fail(r.error());
      }
      continue;
    }
    if (r->malformed > 0) ++failed;
    if (a.json) {
      reports.push_back(ReportToJson(*r));
      continue;
    }
    std::cout << fmt::format("{}: {} lines, {} records, {} stored, {} malformed, {} ignored ({:.1f} s)\n",
                             r->file, WithThousands(r->lines), WithThousands(r->records),
                             WithThousands(r->stored), WithThousands(r->malformed),
                             WithThousands(r->ignored), r->seconds);
    for (const auto& e : r->errors) std::cout << "  " << e << "\n";
  }
  if (a.json) PrintJson(reports);
  return failed == 0 ? 0 : 2;
}

}  // namespace

void RegisterDomainIngestCommand(CLI::App& domain_cmd, Context& ctx) {
  auto a = std::make_shared<IngestArgs>();
  std::string formats;
  for (const auto& f : domain::ingest::EvidenceFormats()) {
    formats += fmt::format("  {:<11} {}\n", f.name, f.description);
  }
  auto* cmd = AddCommand(
      domain_cmd, "ingest",
      "Read domain evidence files into the store, for `domain score|explain|train|eval`.\n"
      "Formats (--format):\n" + formats +
      "Daily snapshots (popularity, zone, rdap) take their day from --date or a YYYY-MM-DD in\n"
      "the file name, and their list or zone from --name or the file name before the date\n"
      "(tranco-2026-01-05.csv → list tranco); apply them in date order. Malformed lines are\n"
      "counted, the first ones shown as file:line: reason, and skipped; the exit status is 2\n"
      "when any line was malformed, 1 when a file could not be read.\n"
      "--dir DIR reads a whole evidence directory in the layout `mamori sim domains` writes\n"
      "(pdns/dnsdb.jsonl, popularity/, zones/, rdap/, labels.csv, blocklists/<feed>/ as intel\n"
      "sources \"sim-<feed>\" applied day by day; docs/domain-sim.md).\n"
      "Examples:\n"
      "  mamori domain ingest dnsdb-export.jsonl --format dnsdb\n"
      "  mamori domain ingest /var/log/zeek/current/dns.log --format zeek\n"
      "  for f in tranco-2026-*.csv; do mamori domain ingest $f --format popularity; done\n"
      "  mamori domain ingest labels.csv --format labels --json\n"
      "  mamori sim domains --out world && mamori domain ingest --dir world");
  cmd->add_option("files", a->files, "Files to read (- = stdin; plain or gzip)")->type_name("FILE");
  cmd->add_option("-f,--format", a->format, "Format (see above)");
  cmd->add_option("--dir", a->dir, "Read a whole evidence directory (see above)")->type_name("DIR");
  cmd->add_flag("--zeek", a->zeek, "With --dir: also read pdns/zeek/*.log");
  cmd->add_option("--date", a->date, "Snapshot day of a daily file")->type_name("YYYY-MM-DD");
  cmd->add_option("--name", a->name, "List or zone name of a snapshot");
  cmd->add_option("--source", a->source, "Label source (default: the file name)");
  cmd->add_flag("--json", a->json, "Print the reports as JSON");
  cmd->callback([&ctx, a] { ctx.exit_code = RunIngest(ctx, *a); });
}

}  // namespace mamori::cli
