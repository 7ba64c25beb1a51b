// mamori feeds add|list|show|update|remove
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/context.h"
#include "cli/feeds_support.h"
#include "cli/progress.h"
#include "feeds/format.h"
#include "feeds/http_client.h"
#include "feeds/parser.h"
#include "feeds/updater.h"
#include "intel/json.h"

namespace mamori::cli {

namespace {

using nlohmann::json;

struct AddArgs {
  std::string name, url, format, category, refresh = "1h", license, options_json = "{}";
  int reliability = 50;
  bool no_fetch = false;
  bool json = false;
};

}  // namespace

feeds::HttpOptions HttpOptionsForConfig(const Config& config) {
  feeds::HttpOptions http;
  http.max_body_bytes = config.feeds.max_download_bytes;
  http.timeout = std::chrono::seconds(config.feeds.timeout_seconds);
  http.connect_timeout = std::chrono::seconds(config.feeds.connect_timeout_seconds);
  http.retries = config.feeds.retries;
  http.backoff = std::chrono::milliseconds(config.feeds.retry_backoff_ms);
  http.user_agent = config.feeds.user_agent;
  return http;
}

json UpdateReportJson(const feeds::UpdateReport& r) {
  json errors = json::array();
  for (const auto& e : r.parse.first_errors) {
    errors.push_back({{"line", e.line}, {"reason", e.reason}, {"excerpt", e.excerpt}});
  }
  return {{"source", r.source},
          {"status", feeds::UpdateStatusName(r.status)},
          {"message", r.message},
          {"added", r.diff.added},
          {"removed", r.diff.removed},
          {"unchanged", r.diff.unchanged},
          {"bytes", r.bytes},
          {"documents", r.documents},
          {"parse",
           {{"lines", r.parse.lines_total},
            {"skipped", r.parse.lines_skipped},
            {"entries", r.parse.entries},
            {"invalid", r.parse.invalid},
            {"unsupported", r.parse.unsupported},
            {"duplicates", r.parse.duplicates},
            {"host_bits_cleared", r.parse.host_bits_cleared},
            {"defanged", r.parse.defanged},
            {"first_errors", errors}}},
          {"seconds",
           {{"fetch", r.fetch_seconds}, {"parse", r.parse_seconds}, {"store", r.store_seconds}}}};
}

feeds::UpdateOptions UpdateOptionsForConfig(const Config& config) {
  feeds::UpdateOptions options;
  options.max_download_bytes = config.feeds.max_download_bytes;
  options.max_invalid_share = config.feeds.max_invalid_share;
  return options;
}

void PrintUpdateReport(const feeds::UpdateReport& r) {
  std::string counts = fmt::format("+{} -{} ={}", WithThousands(r.diff.added),
                                   WithThousands(r.diff.removed), WithThousands(r.diff.unchanged));
  switch (r.status) {
    case feeds::UpdateStatus::kOk:
      std::cout << fmt::format("{}: updated {} ({} bytes, {:.2f}s)\n", r.source, counts,
                               WithThousands(r.bytes),
                               r.fetch_seconds + r.parse_seconds + r.store_seconds);
      break;
    case feeds::UpdateStatus::kNotModified:
      std::cout << fmt::format("{}: not modified\n", r.source);
      break;
    case feeds::UpdateStatus::kRejected:
      std::cout << fmt::format("{}: REJECTED: {}\n", r.source, r.message);
      break;
    case feeds::UpdateStatus::kError:
      std::cout << fmt::format("{}: FAILED: {}\n", r.source, r.message);
      break;
  }
  const auto& p = r.parse;
  if (p.invalid + p.unsupported + p.duplicates + p.host_bits_cleared > 0) {
    std::cout << fmt::format(
        "  {} lines: {} indicators, {} invalid, {} unsupported, {} duplicates, {} CIDRs with "
        "host bits normalized\n",
        WithThousands(p.lines_total), WithThousands(p.entries), WithThousands(p.invalid),
        WithThousands(p.unsupported), WithThousands(p.duplicates),
        WithThousands(p.host_bits_cleared));
    for (const auto& e : p.first_errors) {
      std::cout << fmt::format("  line {}: {}{}\n", e.line, e.reason,
                               e.excerpt.empty() ? "" : " [" + e.excerpt + "]");
    }
  }
}

// Runs updates of the named sources (all enabled ones when empty); returns the exit code.
int RunUpdates(Context& ctx, std::vector<std::string> names, bool allow_empty, bool as_json) {
  auto config = ctx.GetConfig();
  if (!config) return Fail(config.error());
  auto store = ctx.GetStore();
  if (!store) return Fail(store.error());
  if (names.empty()) {
    auto sources = (*store)->ListSources();
    if (!sources) return Fail(sources.error());
    for (const auto& s : *sources) {
      if (s.enabled) names.push_back(s.name);
    }
  }
  auto http = feeds::MakeCurlHttpClient(HttpOptionsForConfig(**config), SystemClock::Instance());
  feeds::UpdateOptions options = UpdateOptionsForConfig(**config);
  options.allow_empty = allow_empty;
  feeds::FeedUpdater updater(**store, *http, SystemClock::Instance(), options);
  int rc = 0;
  json out = json::array();
  for (const auto& name : names) {
    Progress progress(name);
    auto report = updater.Update(name, progress.Callback());
    progress.Done();
    if (!report) {
      rc = Fail(report.error());
      continue;
    }
    if (report->status == feeds::UpdateStatus::kRejected ||
        report->status == feeds::UpdateStatus::kError) {
      rc = 1;
    }
    if (as_json) {
      out.push_back(UpdateReportJson(*report));
    } else {
      PrintUpdateReport(*report);
    }
  }
  if (as_json) PrintJson(out);
  return rc;
}

namespace {

int CheckFeed(Context& ctx, const std::string& file, const std::string& format_name,
              const std::string& options_json, bool print, bool as_json) {
  auto config = ctx.GetConfig();
  if (!config) return Fail(config.error());
  store::SourceRecord source;
  source.name = "check";
  source.url = file;
  source.format = format_name.empty()
                      ? std::string(feeds::FeedFormatName(feeds::GuessFeedFormat(file)))
                      : format_name;
  source.options_json = options_json;
  auto parser = feeds::MakeParserForSource(source.format, options_json);
  if (!parser) return Fail(parser.error());
  auto http = feeds::MakeCurlHttpClient(HttpOptionsForConfig(**config), SystemClock::Instance());
  auto fetched = feeds::FetchSource(source, *http, (*config)->feeds.max_download_bytes);
  if (!fetched) return Fail(fetched.error());
  feeds::ParsedFeed parsed;
  for (const auto& doc : fetched->documents) {
    if (auto status = (*parser)->Parse(doc.body, doc.origin, parsed); !status) {
      return Fail(status.error());
    }
  }
  feeds::Deduplicate(parsed);
  feeds::UpdateReport report;
  report.source = file;
  report.status = feeds::UpdateStatus::kOk;
  report.parse = parsed.report;
  report.bytes = fetched->bytes;
  report.documents = static_cast<int>(fetched->documents.size());
  if (print) {
    std::string out;
    for (const auto& e : parsed.entries) {
      out.append(IndicatorTypeName(e.indicator.type)).append("\t").append(e.indicator.value);
      out.push_back('\n');
    }
    std::cout << out;
  }
  if (as_json) {
    PrintJson(UpdateReportJson(report));
  } else if (!print) {
    const auto& p = parsed.report;
    std::cout << fmt::format(
        "{}: {} lines, {} indicators ({} duplicates removed), {} invalid, {} unsupported, "
        "{} skipped, {} CIDRs normalized, {} refanged\n",
        file, WithThousands(p.lines_total), WithThousands(parsed.entries.size()),
        WithThousands(p.duplicates), WithThousands(p.invalid), WithThousands(p.unsupported),
        WithThousands(p.lines_skipped), WithThousands(p.host_bits_cleared),
        WithThousands(p.defanged));
    for (const auto& e : p.first_errors) {
      std::cout << fmt::format("  line {}: {}{}\n", e.line, e.reason,
                               e.excerpt.empty() ? "" : " [" + e.excerpt + "]");
    }
  }
  return parsed.report.invalid > 0 ? 1 : 0;
}

}  // namespace

void RegisterFeedsCommands(CLI::App& app, Context& ctx) {
  auto* feeds_cmd = AddCommand(app, "feeds", "Manage threat-intel feeds (sources)");
  feeds_cmd->require_subcommand(1);

  // feeds add
  auto add_args = std::make_shared<AddArgs>();
  auto* add = AddCommand(
      *feeds_cmd, "add",
      "Add a feed and fetch it once.\n"
      "Example:\n"
      "  mamori feeds add feodo https://feodotracker.abuse.ch/downloads/ipblocklist.txt \\\n"
      "      --category c2 --reliability 80 --refresh 1h\n"
      "  mamori feeds add drop https://www.spamhaus.org/drop/drop.txt --format netset\n"
      "  mamori feeds add local-list ./my-blocklist.txt");
  add->add_option("name", add_args->name, "Unique name: lower-case letters, digits, . _ -")
      ->required();
  add->add_option("url", add_args->url, "http(s):// URL, file:// URL or local path")->required();
  add->add_option("-f,--format", add_args->format,
                  "plain, hosts, csv, netset, urlhaus-csv, misp, stix, taxii "
                  "(default: guessed from the URL)");
  add->add_option("-r,--reliability", add_args->reliability, "How much you trust it, 0-100")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  add->add_option("--category", add_args->category,
                  "Default category of its entries: c2, malware, phishing, scanner, spam, ...");
  add->add_option("--refresh", add_args->refresh, "Refresh interval: 90s, 15m, 6h, 1d")
      ->capture_default_str();
  add->add_option("--license", add_args->license, "License or terms of the feed");
  add->add_option("--options", add_args->options_json,
                  "Format options as JSON, e.g. '{\"csv_value_column\": \"url\", "
                  "\"csv_has_header\": true}' (docs/formats/)");
  add->add_flag("--no-fetch", add_args->no_fetch, "Add only; the scheduler fetches it later");
  add->add_flag("--json", add_args->json, "Print the stored source as JSON");
  add->callback([&ctx, add_args] {
    auto& a = *add_args;
    auto store = ctx.GetStore();
    if (!store) {
      ctx.exit_code = Fail(store.error());
      return;
    }
    store::SourceRecord source;
    source.name = a.name;
    source.url = a.url;
    source.format = a.format.empty()
                        ? std::string(feeds::FeedFormatName(feeds::GuessFeedFormat(a.url)))
                        : a.format;
    // Format and options are checked before anything is stored; the store checks the name.
    if (auto parser = feeds::MakeParserForSource(source.format, a.options_json); !parser) {
      ctx.exit_code = Fail(parser.error());
      return;
    }
    auto refresh = ParseDuration(a.refresh);
    if (!refresh) {
      ctx.exit_code = Fail(refresh.error().WithContext("--refresh"));
      return;
    }
    source.reliability = a.reliability;
    source.default_category = a.category;
    source.refresh_seconds = *refresh;
    source.license = a.license;
    source.options_json = a.options_json;
    auto added = (*store)->AddSource(source);
    if (!added) {
      ctx.exit_code = Fail(added.error());
      return;
    }
    if (!a.json) std::cout << fmt::format("added {} ({})\n", added->name, added->format);
    if (!a.no_fetch) {
      ctx.exit_code = RunUpdates(ctx, {added->name}, false, false);
    }
    if (a.json) {
      auto stored = (*store)->GetSource(a.name);
      if (stored && *stored) PrintJson(intel::ToJson(**stored));
    }
  });

  // feeds list
  auto list_json = std::make_shared<bool>(false);
  auto* list = AddCommand(
      *feeds_cmd, "list",
      "List feeds with their state.\nExample:\n  mamori feeds list --json | jq '.[].name'");
  list->add_flag("--json", *list_json, "Print as JSON");
  list->callback([&ctx, list_json] {
    auto store = ctx.GetStore();
    if (!store) {
      ctx.exit_code = Fail(store.error());
      return;
    }
    auto sources = (*store)->ListSources();
    if (!sources) {
      ctx.exit_code = Fail(sources.error());
      return;
    }
    if (*list_json) {
      json out = json::array();
      for (const auto& s : *sources) out.push_back(intel::ToJson(s));
      PrintJson(out);
      return;
    }
    if (sources->empty()) {
      std::cout << "no feeds; add one with `mamori feeds add NAME URL`\n";
      return;
    }
    std::cout << fmt::format("{:<28} {:<12} {:>4} {:>10} {:>7}  {:<13} {}\n", "NAME", "FORMAT",
                             "REL", "LISTED", "REFRESH", "STATE", "LAST SUCCESS");
    for (const auto& s : *sources) {
      std::cout << fmt::format(
          "{:<28} {:<12} {:>4} {:>10} {:>7}  {:<13} {}\n", s.name, s.format, s.reliability,
          WithThousands(s.listed_count), FormatDuration(s.refresh_seconds),
          (s.enabled ? "" : "disabled ") + (s.last_status.empty() ? "never" : s.last_status),
          s.last_success_at ? FormatIso8601(s.last_success_at) : "-");
    }
  });

  // feeds show
  auto show_name = std::make_shared<std::string>();
  auto show_json = std::make_shared<bool>(false);
  auto* show = AddCommand(*feeds_cmd, "show",
                          "Show one feed: configuration, fetch state, counts.\nExample:\n"
                          "  mamori feeds show urlhaus-filter-hosts");
  show->add_option("name", *show_name, "Feed name")->required();
  show->add_flag("--json", *show_json, "Print as JSON");
  show->callback([&ctx, show_name, show_json] {
    auto store = ctx.GetStore();
    if (!store) {
      ctx.exit_code = Fail(store.error());
      return;
    }
    auto source = (*store)->GetSource(*show_name);
    if (!source) {
      ctx.exit_code = Fail(source.error());
      return;
    }
    if (!*source) {
      ctx.exit_code = Fail(
          Error{ErrorCode::kNotFound, "no such feed; `mamori feeds list` shows them", *show_name});
      return;
    }
    const auto& s = **source;
    if (*show_json) {
      PrintJson(intel::ToJson(s));
      return;
    }
    auto t = [](UnixSeconds v) { return v ? FormatIso8601(v) : std::string("-"); };
    std::cout << fmt::format(
        "name:          {}\nurl:           {}\nformat:        {}\nreliability:   {}\n"
        "category:      {}\nrefresh:       {}\nlicense:       {}\noptions:       {}\n"
        "enabled:       {}\nlisted now:    {}\nlast attempt:  {}\nlast success:  {}\n"
        "last status:   {}\n",
        s.name, s.url, s.format, s.reliability,
        s.default_category.empty() ? "-" : s.default_category, FormatDuration(s.refresh_seconds),
        s.license.empty() ? "-" : s.license, s.options_json, s.enabled ? "yes" : "no",
        WithThousands(s.listed_count), t(s.last_attempt_at), t(s.last_success_at),
        s.last_status.empty() ? "never fetched" : s.last_status);
    if (!s.last_error.empty()) std::cout << "last error:    " << s.last_error << "\n";
    if (!s.etag.empty()) std::cout << "etag:          " << s.etag << "\n";
  });

  // feeds update
  auto update_names = std::make_shared<std::vector<std::string>>();
  auto update_allow_empty = std::make_shared<bool>(false);
  auto update_json = std::make_shared<bool>(false);
  auto* update = AddCommand(
      *feeds_cmd, "update",
      "Fetch feeds now and update the listing history (all enabled feeds when none named).\n"
      "A feed that fails, is empty or has too many invalid lines keeps its previous snapshot.\n"
      "Example:\n  mamori feeds update\n  mamori feeds update feodo drop --json");
  update->add_option("names", *update_names, "Feeds to update");
  update->add_flag("--allow-empty", *update_allow_empty,
                   "Accept an update with no indicators (delists everything)");
  update->add_flag("--json", *update_json, "Print the reports as JSON");
  update->callback([&ctx, update_names, update_allow_empty, update_json] {
    ctx.exit_code = RunUpdates(ctx, *update_names, *update_allow_empty, *update_json);
  });

  // feeds check
  struct CheckArgs {
    std::string file, format, options_json = "{}";
    bool json = false, print = false;
  };
  auto check_args = std::make_shared<CheckArgs>();
  auto* check = AddCommand(
      *feeds_cmd, "check",
      "Parse a feed file or URL without storing anything.\n"
      "Reports counts and invalid lines with their numbers and reasons, and with --print the\n"
      "normalized indicators. Exit status 1 when any line is invalid.\nExamples:\n"
      "  mamori feeds check blocklist.txt\n"
      "  mamori feeds check export.csv --format csv --options '{\"csv_has_header\": true}' "
      "--print");
  check->add_option("file", check_args->file, "File path or URL")->required();
  check->add_option("-f,--format", check_args->format, "Format (default: guessed from the name)");
  check->add_option("--options", check_args->options_json, "Format options as JSON");
  check->add_flag("--print", check_args->print, "Print each normalized indicator (type, value)");
  check->add_flag("--json", check_args->json, "Print the report as JSON");
  check->callback([&ctx, check_args] {
    ctx.exit_code = CheckFeed(ctx, check_args->file, check_args->format, check_args->options_json,
                              check_args->print, check_args->json);
  });

  // feeds remove
  auto remove_name = std::make_shared<std::string>();
  auto* remove =
      AddCommand(*feeds_cmd, "remove",
                 "Remove a feed and its listing history.\nExample:\n  mamori feeds remove feodo");
  remove->add_option("name", *remove_name, "Feed name")->required();
  remove->callback([&ctx, remove_name] {
    auto store = ctx.GetStore();
    if (!store) {
      ctx.exit_code = Fail(store.error());
      return;
    }
    auto status = (*store)->RemoveSource(*remove_name);
    if (!status) {
      ctx.exit_code = Fail(status.error());
      return;
    }
    std::cout << "removed " << *remove_name << "\n";
  });
}

}  // namespace mamori::cli
