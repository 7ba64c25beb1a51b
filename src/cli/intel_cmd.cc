// mamori intel lookup|import|stats|allow
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "cli/context.h"
#include "cli/feeds_support.h"
#include "cli/progress.h"
#include "core/clock.h"
#include "core/ip.h"
#include "feeds/fetcher.h"
#include "feeds/format.h"
#include "intel/json.h"
#include "intel/lookup.h"

namespace mamori::cli {

namespace {

using nlohmann::json;

std::string Time(UnixSeconds t) { return t ? FormatIso8601(t) : std::string("-"); }

void PrintHistory(const store::IndicatorHistory& h, std::string_view heading) {
  std::cout << fmt::format("{} {} {} (first seen {})\n", heading,
                           IndicatorTypeName(h.indicator.type), h.indicator.value,
                           Time(h.first_seen));
  for (const auto& i : h.intervals) {
    std::cout << fmt::format("  {:<28} listed {} .. {}{}{}\n", i.source_name, Time(i.first_listed),
                             i.delisted_at ? "delisted " + Time(i.delisted_at)
                                           : "still listed (last seen " + Time(i.last_seen) + ")",
                             i.category.empty() ? "" : "  [" + i.category + "]",
                             i.confidence >= 0 ? fmt::format("  confidence {}", i.confidence) : "");
  }
  for (const auto& s : h.sightings) {
    std::cout << fmt::format("  sighting by {} at {} (x{})\n", s.observer, Time(s.observed_at),
                             s.count);
  }
}

int Lookup(Context& ctx, const std::string& value, bool as_json) {
  auto store = ctx.GetStore();
  if (!store) return Fail(store.error());
  auto result = intel::LookupIndicator(**store, value, SystemClock::Instance().Now());
  if (!result) return Fail(result.error());
  bool known = result->exact || !result->covering.empty();
  if (as_json) {
    PrintJson(intel::ToJson(*result));
    return known ? 0 : 3;
  }
  if (result->allowlisted_by) {
    std::cout << fmt::format("allowlisted by {} {} ({})\n", result->allowlisted_by->kind,
                             result->allowlisted_by->value, result->allowlisted_by->reason);
  }
  if (!known) {
    std::cout << fmt::format("{} {}: not known to any source\n",
                             IndicatorTypeName(result->indicator.type), result->indicator.value);
    return 3;
  }
  std::cout << (result->listed_now ? "LISTED NOW\n" : "not listed now (history only)\n");
  if (result->exact) PrintHistory(*result->exact, "");
  for (const auto& h : result->covering) PrintHistory(h, "covered by");
  return 0;
}

struct ImportArgs {
  std::string file, source, format;
  std::string at;  // --at: the snapshot's time, for importing history in date order
  bool merge = false, allow_empty = false, json = false;
  int reliability = 50;
  std::string category;
};

// The clock of an import --at TIME: every "now" of the update (listing times, the fetch record,
// the source's last success) is that time.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(UnixSeconds t) : t_(t) {}
  UnixSeconds Now() const override { return t_; }
  void SleepFor(std::chrono::milliseconds) override {}

 private:
  UnixSeconds t_;
};

int Import(Context& ctx, const ImportArgs& a) {
  std::optional<FixedClock> at_clock;
  if (!a.at.empty()) {
    UnixSeconds at = ParseTimestamp(a.at);
    if (at < 0) {
      return Fail(Error{ErrorCode::kInvalidArgument,
                        "not a time: give an ISO 8601 date or date-time (2026-01-05, "
                        "2026-01-05T12:00:00Z) or Unix seconds",
                        "--at " + a.at});
    }
    at_clock.emplace(at);
  }
  Clock& clock = at_clock ? static_cast<Clock&>(*at_clock) : SystemClock::Instance();
  auto config = ctx.GetConfig();
  if (!config) return Fail(config.error());
  auto store = ctx.GetStore();
  if (!store) return Fail(store.error());
  std::string format = a.format.empty()
                           ? std::string(feeds::FeedFormatName(feeds::GuessFeedFormat(a.file)))
                           : a.format;
  if (!feeds::ParseFeedFormat(format)) {
    return Fail(Error{ErrorCode::kInvalidArgument, "unknown format", "--format " + format});
  }
  auto existing = (*store)->GetSource(a.source);
  if (!existing) return Fail(existing.error());
  store::SourceRecord source;
  if (*existing) {
    source = **existing;
    // Listing history only moves forward: a snapshot older than the last applied one would
    // close intervals before they were last seen.
    if (at_clock && at_clock->Now() < source.last_success_at) {
      return Fail(Error{ErrorCode::kRejected,
                        fmt::format("{} is older than the last update of source {} ({}); import "
                                    "historical snapshots in date order, oldest first",
                                    FormatIso8601(at_clock->Now()), source.name,
                                    FormatIso8601(source.last_success_at)),
                        "--at " + a.at});
    }
  } else {
    store::SourceRecord fresh;
    fresh.name = a.source;
    fresh.url = std::filesystem::absolute(a.file).string();
    fresh.format = format;
    fresh.reliability = a.reliability;
    fresh.default_category = a.category;
    // An imported file is not refreshed by the scheduler unless the user enables it.
    fresh.enabled = false;
    fresh.refresh_seconds = 86400;
    if (at_clock) fresh.created_at = at_clock->Now();
    auto added = (*store)->AddSource(fresh);
    if (!added) return Fail(added.error());
    source = *added;
  }
  source.format = format;  // this file's format, even if the source usually has another

  Progress progress(a.source);
  auto cb = progress.Callback();
  if (cb) cb("read", a.file);
  auto http = feeds::MakeCurlHttpClient(HttpOptionsForConfig(**config), SystemClock::Instance());
  store::SourceRecord file_source = source;
  file_source.url = a.file;
  auto fetched = feeds::FetchSource(file_source, *http, (*config)->feeds.max_download_bytes);
  if (!fetched) {
    progress.Done();
    return Fail(fetched.error());
  }
  feeds::UpdateOptions options = UpdateOptionsForConfig(**config);
  options.allow_empty = a.allow_empty;
  options.merge = a.merge;
  feeds::FeedUpdater updater(**store, *http, clock, options);
  auto report = updater.Apply(source, fetched->documents, cb);
  progress.Done();
  if (!report) return Fail(report.error());
  if (a.json) {
    PrintJson(UpdateReportJson(*report));
  } else {
    PrintUpdateReport(*report);
  }
  bool good = report->status == feeds::UpdateStatus::kOk;
  return good ? 0 : 1;
}

}  // namespace

void RegisterIntelCommands(CLI::App& app, Context& ctx) {
  auto* intel_cmd = AddCommand(app, "intel", "Query and import threat intelligence");
  intel_cmd->require_subcommand(1);
  RegisterSightCommand(*intel_cmd, ctx);

  // intel lookup
  auto lookup_value = std::make_shared<std::string>();
  auto lookup_json = std::make_shared<bool>(false);
  auto* lookup = AddCommand(
      *intel_cmd, "lookup",
      "Every source that lists an indicator, with its full listing history.\n"
      "The value is normalized first (case, trailing dot, IDN, defanging, CIDR host bits).\n"
      "Addresses also show the listed CIDRs containing them; domains their listed parents.\n"
      "Exit status: 0 known, 3 unknown, 1 error.\n"
      "Examples:\n  mamori intel lookup 1.2.3.4\n  mamori intel lookup 'hxxp://evil[.]example/x'"
      "\n  mamori intel lookup evil.example --json");
  lookup->add_option("value", *lookup_value, "IP, CIDR, domain, URL or MD5/SHA-1/SHA-256")
      ->required();
  lookup->add_flag("--json", *lookup_json, "Print as JSON");
  lookup->callback([&ctx, lookup_value, lookup_json] {
    ctx.exit_code = Lookup(ctx, *lookup_value, *lookup_json);
  });

  // intel import
  auto import_args = std::make_shared<ImportArgs>();
  auto* import = AddCommand(
      *intel_cmd, "import",
      "Import a file as the current snapshot of a source (created if new, disabled for the\n"
      "scheduler). Entries of that source missing from the file are delisted, unless --merge.\n"
      "Examples:\n  mamori intel import blocklist.txt --source my-list\n"
      "  mamori intel import bundle.json --source partner-stix --format stix --merge\n"
      "  mamori intel import urlhaus-2026-01-05.txt --source urlhaus --at 2026-01-05");
  import->add_option("file", import_args->file, "File to import (- is not supported)")
      ->required()
      ->check(CLI::ExistingFile);
  import->add_option("-s,--source", import_args->source, "Source name to import into")->required();
  import->add_option("-f,--format", import_args->format, "Format (default: guessed from name)");
  import
      ->add_option("-r,--reliability", import_args->reliability,
                   "Reliability 0-100 for a new source")
      ->check(CLI::Range(0, 100));
  import->add_option("--category", import_args->category, "Default category for a new source");
  import->add_flag("--merge", import_args->merge, "Add listings only; delist nothing");
  import->add_flag("--allow-empty", import_args->allow_empty,
                   "Accept a file with no indicators (delists everything)");
  import->add_option("--at", import_args->at,
                     "The snapshot's time (ISO 8601 date or date-time, or Unix seconds), to "
                     "import historical snapshots oldest first; default: now");
  import->add_flag("--json", import_args->json, "Print the report as JSON");
  import->callback([&ctx, import_args] { ctx.exit_code = Import(ctx, *import_args);
});

// intel stats
auto stats_json = std::make_shared<bool>(false);
auto* stats = AddCommand(*intel_cmd, "stats",
                         "Counts of the intel store.\nExample:\n"
                         "  mamori intel stats --json");
stats->add_flag("--json", *stats_json, "Print as JSON");
stats->callback([&ctx, stats_json] {
  auto store = ctx.GetStore();
  if (!store) {
    ctx.exit_code = Fail(store.error());
    return;
  }
  auto s = (*store)->Stats();
  if (!s) {
    ctx.exit_code = Fail(s.error());
    return;
  }
  if (*stats_json) {
    PrintJson(intel::ToJson(*s));
    return;
  }
  std::cout << fmt::format(
      "sources:           {}\nindicators:        {}\nlisted now:        {}\n"
      "delisted periods:  {}\nsightings:         {}\nallowlist entries: {}\n"
      "schema version:    {}\n",
      WithThousands(s->sources), WithThousands(s->indicators), WithThousands(s->open_intervals),
      WithThousands(s->closed_intervals), WithThousands(s->sightings),
      WithThousands(s->allowlist_entries), s->schema_version);
});

// intel allow add|list|remove
auto* allow = AddCommand(*intel_cmd, "allow", "Values that must never be blocked");
allow->require_subcommand(1);
struct AllowArgs {
  std::string value, reason, kind;
  int64_t id = 0;
  bool json = false;
};
auto allow_args = std::make_shared<AllowArgs>();
auto* allow_add = AddCommand(
    *allow, "add",
    "Allowlist a value (exact indicator), a CIDR (everything inside) or a domain suffix\n"
    "(the domain and all names below it).\nExamples:\n"
    "  mamori intel allow add 10.0.0.0/8 --reason 'internal'\n"
    "  mamori intel allow add example.com --kind suffix --reason 'our own domain'");
allow_add->add_option("value", allow_args->value, "Value")->required();
allow_add->add_option("--kind", allow_args->kind,
                      "value, cidr or suffix (default: cidr for networks, suffix for domains, "
                      "value otherwise)");
allow_add->add_option("--reason", allow_args->reason, "Why (shown wherever it applies)");
allow_add->callback([&ctx, allow_args] {
  auto store = ctx.GetStore();
  if (!store) {
    ctx.exit_code = Fail(store.error());
    return;
  }
  auto normalized = NormalizeIndicator(allow_args->value);
  if (!normalized) {
    ctx.exit_code = Fail(normalized.error());
    return;
  }
  const Indicator& ind = normalized->indicator;
  std::string kind = allow_args->kind;
  if (kind.empty()) {
    kind = ind.type == IndicatorType::kCidr     ? "cidr"
           : ind.type == IndicatorType::kDomain ? "suffix"
                                                : "value";
  }
  if (kind != "value" && kind != "cidr" && kind != "suffix") {
    ctx.exit_code = Fail(
        Error{ErrorCode::kInvalidArgument, "kind must be value, cidr or suffix", "--kind " + kind});
    return;
  }
  if ((kind == "cidr" && ind.type != IndicatorType::kCidr && ind.type != IndicatorType::kIpv4 &&
       ind.type != IndicatorType::kIpv6) ||
      (kind == "suffix" && ind.type != IndicatorType::kDomain)) {
    ctx.exit_code = Fail(Error{ErrorCode::kInvalidArgument,
                               fmt::format("a {} entry needs a {}", kind,
                                           kind == "cidr" ? "network or address" : "domain"),
                               allow_args->value});
    return;
  }
  store::AllowlistEntry entry;
  entry.kind = kind;
  entry.value = ind.value;
  if (kind == "cidr" && ind.type != IndicatorType::kCidr) {
    entry.value += ind.type == IndicatorType::kIpv4 ? "/32" : "/128";
  }
  entry.reason = allow_args->reason;
  entry.created_at = SystemClock::Instance().Now();
  auto id = (*store)->AddAllowlistEntry(entry);
  if (!id) {
    ctx.exit_code = Fail(id.error());
    return;
  }
  std::cout << fmt::format("allowlist entry {}: {} {}\n", *id, kind, entry.value);
});
auto* allow_list = AddCommand(
    *allow, "list", "List allowlist entries.\nExample:\n  mamori intel allow list --json");
allow_list->add_flag("--json", allow_args->json, "Print as JSON");
allow_list->callback([&ctx, allow_args] {
  auto store = ctx.GetStore();
  if (!store) {
    ctx.exit_code = Fail(store.error());
    return;
  }
  auto entries = (*store)->ListAllowlist();
  if (!entries) {
    ctx.exit_code = Fail(entries.error());
    return;
  }
  if (allow_args->json) {
    json out = json::array();
    for (const auto& e : *entries) out.push_back(intel::ToJson(e));
    PrintJson(out);
    return;
  }
  for (const auto& e : *entries) {
    std::cout << fmt::format("{:>5}  {:<7} {:<40} {}\n", e.id, e.kind, e.value, e.reason);
  }
});
auto* allow_remove = AddCommand(
    *allow, "remove", "Remove an allowlist entry by id.\nExample:\n  mamori intel allow remove 3");
allow_remove->add_option("id", allow_args->id, "Entry id (see `intel allow list`)")->required();
allow_remove->callback([&ctx, allow_args] {
  auto store = ctx.GetStore();
  if (!store) {
    ctx.exit_code = Fail(store.error());
    return;
  }
  auto status = (*store)->RemoveAllowlistEntry(allow_args->id);
  if (!status) ctx.exit_code = Fail(status.error());
});
}  // namespace mamori::cli

}  // namespace mamori::cli
