// mamori cidr merge|optimize|diff|count: IP list arithmetic without a store or configuration,
// compatible with FireHOL's iprange for IPv4 (same output byte for byte).
#include <fmt/format.h>
#include <unistd.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/context.h"
#include "rse/blocklist/cidr_tools.h"

namespace mamori::cli {

namespace {

using nlohmann::json;
using rse::blocklist::FamilyFilter;
using rse::blocklist::IpListStats;
using rse::blocklist::IpRanges;
using rse::blocklist::ListStyle;

struct CidrArgs {
  std::vector<std::string> files;
  bool ipv4 = false, ipv6 = false;
  bool strict = false;
  bool json = false;
  bool ranges = false;               // merge: print first-last
  bool both = false;                 // diff: also B minus A
  bool csv = false, header = false;  // count: iprange -C line
};

FamilyFilter FilterOf(const CidrArgs& a) {
  if (a.ipv4) return FamilyFilter::kV4Only;
  if (a.ipv6) return FamilyFilter::kV6Only;
  return FamilyFilter::kAll;
}

// "340282366920938463463374607431768211456" -> "340,282,...".
std::string GroupThousands(const std::string& digits) {
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// Invalid lines go to stderr as warnings; returns false when --strict makes them an error.
bool ReportInvalid(const IpListStats& stats, bool strict) {
  for (const auto& e : stats.first_errors) {
    std::cerr << "mamori: " << e.ToString() << " (line skipped)\n";
  }
  if (stats.invalid > static_cast<int64_t>(stats.first_errors.size())) {
    std::cerr << fmt::format("mamori: {} invalid lines skipped in total ({} shown)\n",
                             WithThousands(stats.invalid), stats.first_errors.size());
  }
  if (strict && stats.invalid > 0) {
    std::cerr << fmt::format("mamori: {} invalid lines; failing because of --strict\n",
                             WithThousands(stats.invalid));
    return false;
  }
  return true;
}

json ErrorsJson(const IpListStats& stats) {
  json errors = json::array();
  for (const auto& e : stats.first_errors) {
    errors.push_back(
        {{"file", e.file}, {"line", e.line}, {"reason", e.reason}, {"excerpt", e.excerpt}});
  }
  return errors;
}

int WriteOut(const std::string& out) {
  std::cout << out << std::flush;
  return std::cout ? 0 : Fail(Error{ErrorCode::kIo, "cannot write", "stdout"});
}

// Lists go straight to the file descriptor in large chunks (1,000,000 lines in a few writes).
int WriteRanges(const IpRanges& ranges, ListStyle style, std::string_view prefix = {}) {
  if (auto s = rse::blocklist::WriteIpRanges(ranges, style, STDOUT_FILENO, prefix); !s) {
    return Fail(s.error().WithContext("stdout"));
  }
  return 0;
}

void AddFamilyFlags(CLI::App* cmd, CidrArgs& a) {
  auto* v4 = cmd->add_flag("-4,--ipv4", a.ipv4, "Keep IPv4 entries only (IPv6 ones are ignored)");
  auto* v6 = cmd->add_flag("-6,--ipv6", a.ipv6, "Keep IPv6 entries only (IPv4 ones are ignored)");
  v4->excludes(v6);
  cmd->add_flag("--strict", a.strict, "Exit 1 when any line is invalid (default: warn, skip)");
}

int RunMerge(const CidrArgs& a) {
  IpListStats stats;
  auto set = rse::blocklist::ReadIpLists(a.files, FilterOf(a), &stats);
  if (!set) return Fail(set.error());
  if (!ReportInvalid(stats, a.strict)) return 1;
  return WriteRanges(*set, a.ranges ? ListStyle::kRanges : ListStyle::kCidrs);
}

json SideJson(const IpRanges& ranges) {
  std::string text = rse::blocklist::FormatIpRanges(ranges, ListStyle::kCidrs);
  json list = json::array();
  for (size_t start = 0; start < text.size();) {
    size_t nl = text.find('\n', start);
    list.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return {{"cidrs", list},
          {"ipv4_addresses", ranges.CountV4()},
          {"ipv6_addresses", ranges.CountV6String()}};
}

int RunDiff(const CidrArgs& a) {
  if (a.files.size() != 2) {
    return Fail(Error{ErrorCode::kInvalidArgument,
                      "diff takes two files, A and B (`-` for stdin); merge several first: "
                      "`mamori cidr merge a1 a2 | mamori cidr diff - b`",
                      "cidr diff"});
  }
  IpListStats stats_a, stats_b;
  auto set_a = rse::blocklist::ReadIpLists({a.files[0]}, FilterOf(a), &stats_a);
  if (!set_a) return Fail(set_a.error());
  auto set_b = rse::blocklist::ReadIpLists({a.files[1]}, FilterOf(a), &stats_b);
  if (!set_b) return Fail(set_b.error());
  bool ok = ReportInvalid(stats_a, a.strict);
  ok = ReportInvalid(stats_b, a.strict) && ok;
  if (!ok) return 1;
  const AddressRangeSet a_set = set_a->ToSet(), b_set = set_b->ToSet();
  const IpRanges only_a = IpRanges::FromSet(a_set.Minus(b_set));
  if (!a.json && !a.both) return WriteRanges(only_a, ListStyle::kCidrs);
  const IpRanges only_b = IpRanges::FromSet(b_set.Minus(a_set));
  if (a.json) {
    json out = {{"a", a.files[0]},
                {"b", a.files[1]},
                {"only_in_a", SideJson(only_a)},
                {"only_in_b", SideJson(only_b)},
                {"identical", only_a.empty() && only_b.empty()},
                {"invalid", stats_a.invalid + stats_b.invalid},
                {"first_errors", ErrorsJson(stats_a)}};
    for (auto& e : ErrorsJson(stats_b)) out["first_errors"].push_back(e);
    PrintJson(out);
    return 0;
  }
  // Unified-diff style: `-` only in A (gone in B), `+` only in B.
  if (int rc = WriteRanges(only_a, ListStyle::kCidrs, "-"); rc != 0) return rc;
  return WriteRanges(only_b, ListStyle::kCidrs, "+");
}

int RunCount(const CidrArgs& a) {
  IpListStats stats;
  auto set = rse::blocklist::ReadIpLists(a.files, FilterOf(a), &stats);
  if (!set) return Fail(set.error());
  if (!ReportInvalid(stats, a.strict)) return 1;
  const size_t cidrs4 = set->CidrCountV4();
  const size_t cidrs6 = set->CidrCountV6();
  const std::string addresses6 = set->CountV6String();
  if (a.csv) {
    std::string out = a.header ? "entries,unique_ips\n" : "";
    out += fmt::format("{},{}\n", stats.entries(), set->CountString());
    return WriteOut(out);
  }
  if (a.json) {
    std::vector<std::string> files = a.files.empty() ? std::vector<std::string>{"-"} : a.files;
    PrintJson({{"files", files},
               {"lines", stats.lines},
               {"skipped", stats.skipped},
               {"invalid", stats.invalid},
               {"filtered", stats.filtered},
               {"host_bits_cleared", stats.host_bits_cleared},
               {"entries", stats.entries()},
               {"unique_ips", set->CountString()},
               {"ipv4",
                {{"entries", stats.entries_v4},
                 {"ranges", set->v4.size()},
                 {"cidrs", cidrs4},
                 {"addresses", set->CountV4()}}},
               {"ipv6",
                {{"entries", stats.entries_v6},
                 {"ranges", set->v6.size()},
                 {"cidrs", cidrs6},
                 {"addresses", addresses6}}},
               {"first_errors", ErrorsJson(stats)}});
    return 0;
  }
  std::string out = fmt::format(
      "lines:     {} ({} entries, {} blank or comment, {} invalid{})\n", WithThousands(stats.lines),
      WithThousands(stats.entries()), WithThousands(stats.skipped), WithThousands(stats.invalid),
      stats.filtered > 0 ? fmt::format(", {} of the other family", WithThousands(stats.filtered))
                         : "");
  out += fmt::format("IPv4:      {} unique addresses in {} ranges = {} CIDRs ({} entries)\n",
                     WithThousands(static_cast<int64_t>(set->CountV4())),
                     WithThousands(static_cast<int64_t>(set->v4.size())),
                     WithThousands(static_cast<int64_t>(cidrs4)), WithThousands(stats.entries_v4));
  out +=
      fmt::format("IPv6:      {} unique addresses in {} ranges = {} CIDRs ({} entries)\n",
                  GroupThousands(addresses6), WithThousands(static_cast<int64_t>(set->v6.size())),
                  WithThousands(static_cast<int64_t>(cidrs6)), WithThousands(stats.entries_v6));
  return WriteOut(out);
}

}  // namespace

void RegisterCidrCommands(CLI::App& app, Context& ctx) {
  auto* cidr = AddCommand(
      app, "cidr",
      "Merge, compare and count IP lists (iprange-compatible; no store needed).\n"
      "Input: one IPv4/IPv6 address, CIDR or range (a.b.c.d-e.f.g.h) per line; blank lines\n"
      "and # or ; comments are skipped; invalid lines are reported with file and line number\n"
      "and skipped. Format: docs/formats/cidr-list.md.\n"
      "Examples:\n"
      "  mamori cidr merge drop.txt edrop.txt > blocklist.txt\n"
      "  mamori cidr diff yesterday.txt today.txt --both\n"
      "  mamori cidr count feed.txt --json");
  cidr->require_subcommand(1);

  for (const char* name : {"merge", "optimize"}) {
    auto args = std::make_shared<CidrArgs>();
    const bool alias = std::string_view(name) == "optimize";
    auto* cmd = AddCommand(
        *cidr, name,
        std::string(alias ? "Same as `cidr merge` (iprange's --optimize)."
                          : "Print the union of the lists as the fewest CIDRs.") +
            "\n"
            "Overlapping and adjacent entries are joined; the output is the smallest list of\n"
            "CIDRs covering exactly the same addresses, IPv4 first, ascending, single hosts\n"
            "without /32 or /128 — for IPv4 byte for byte what `iprange --optimize` prints.\n"
            "Reads standard input when no FILE is given or FILE is `-`.\n"
            "Examples:\n"
            "  mamori cidr " +
            name +
            " drop.txt edrop.txt > merged.txt\n"
            "  curl -s https://www.spamhaus.org/drop/drop.txt | mamori cidr " +
            name +
            "\n"
            "  mamori cidr " +
            name + " --ranges --ipv4 list.txt    # a.b.c.d-e.f.g.h lines");
    cmd->add_option("files", args->files, "Lists to merge (default: stdin)")->type_name("FILE");
    cmd->add_flag("-j,--ranges", args->ranges, "Print first-last ranges instead of CIDRs");
    AddFamilyFlags(cmd, *args);
    cmd->callback([&ctx, args] { ctx.exit_code = RunMerge(*args); });
  }

  {
    auto args = std::make_shared<CidrArgs>();
    auto* cmd = AddCommand(
        *cidr, "diff",
        "Print the addresses of list A that are not in list B, as CIDRs.\n"
        "Without --both, the output equals `iprange A --except B`. With --both, lines only in\n"
        "A start with `-` and lines only in B with `+`. --json gives both sides with counts.\n"
        "Exit status is 0 whether or not the lists differ.\n"
        "Examples:\n"
        "  mamori cidr diff blocklist.txt allowlist.txt > to-block.txt\n"
        "  mamori cidr diff old.txt new.txt --both\n"
        "  mamori cidr diff old.txt new.txt --json | jq '.only_in_b.cidrs'");
    cmd->add_option("files", args->files, "A and B (one of them may be `-` for stdin)")
        ->type_name("A B")
        ->expected(2)
        ->required();
    cmd->add_flag("--both", args->both, "Also print what is only in B (prefixed +)");
    cmd->add_flag("--json", args->json, "Print both sides and their counts as JSON");
    AddFamilyFlags(cmd, *args);
    cmd->callback([&ctx, args] { ctx.exit_code = RunDiff(*args); });
  }

  {
    auto args = std::make_shared<CidrArgs>();
    auto* cmd = AddCommand(
        *cidr, "count",
        "Count entries, unique addresses, ranges and CIDRs of the merged lists.\n"
        "--csv prints `entries,unique_ips` exactly like `iprange -C` (entries: the addresses,\n"
        "CIDRs and ranges read; unique_ips: addresses in the union).\n"
        "Examples:\n"
        "  mamori cidr count feed.txt\n"
        "  mamori cidr count a.txt b.txt --csv --header\n"
        "  mamori cidr count feed.txt --json | jq .ipv4.cidrs");
    cmd->add_option("files", args->files, "Lists to count (default: stdin)")->type_name("FILE");
    auto* csv = cmd->add_flag("--csv", args->csv, "Print `entries,unique_ips` like iprange -C");
    cmd->add_flag("--header", args->header, "With --csv: print the CSV header line first")
        ->needs(csv);
    cmd->add_flag("--json", args->json, "Print the counts as JSON")->excludes(csv);
    AddFamilyFlags(cmd, *args);
    cmd->callback([&ctx, args] { ctx.exit_code = RunCount(*args); });
  }
}

}  // namespace mamori::cli
