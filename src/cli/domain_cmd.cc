// mamori domain categorize: how each malicious name or URL was made, and what exactly to block
// (domain/category/categorizer.h, docs/domain-categories.md). Needs no store or configuration.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <memory>

#include "cli/context.h"
#include "cli/domain_support.h"
#include "core/indicator.h"
#include "domain/category/json.h"
#include "domain/category/toolkit.h"
#include "domain/category/target.h"
#include "domain/reputation/category_evidence.h"

namespace mamori::cli {

namespace {

using domain::Categorization;

struct CategorizeArgs {
  std::vector<std::string> items;
  std::vector<std::string> files;
  std::vector<std::string> service_dirs;
  std::string brands;  // extra brand list for the typosquat detector
  std::string data_dir;
  bool json = false;
  bool no_dga = false;
  bool evidence = false;  // read the store's domain evidence
  std::string at;
};

void PrintRow(const Categorization& c) {
  std::cout << fmt::format("{:<40} {:<19} {:<23} {:<4.2f} {}\n", c.input,
                           domain::CategoryName(c.category), domain::ActionName(c.action),
                           c.confidence, c.block_at.empty() ? "-" : c.block_at);
  if (c.typosquat) {
    std::cout << fmt::format("    imitates: {} ({})\n", c.typosquat->brand, c.typosquat->technique);
  }
  if (!c.abuse_contact.empty()) {
    std::cout << fmt::format("    report to: {}{}\n", c.abuse_contact,
                             c.provider.empty() ? "" : " (" + c.provider + ")");
  }
  for (const auto& e : c.evidence) std::cout << "    - " << e << "\n";
}

int RunCategorize(Context& ctx, const CategorizeArgs& args) {
  std::vector<std::string> items;
  if (auto s = CollectDomainItems(args.items, args.files, items); !s) return Fail(s.error());
  if (items.empty()) {
    return Fail(Error{ErrorCode::kInvalidArgument,
                      "nothing to categorize: give names or URLs, --file FILE, or - for stdin",
                      "domain categorize"});
  }

  domain::ToolkitOptions options;
  options.service_dirs.assign(args.service_dirs.begin(), args.service_dirs.end());
  options.brands_file = args.brands;
  options.data_dir = args.data_dir;
  options.dga = !args.no_dga;
  auto kit = domain::CategorizerToolkit::Build(options);
  if (!kit) return Fail(kit.error());
  const domain::Categorizer& categorizer = (*kit)->categorizer();

  // With --evidence: registration history and CNAMEs from the store (domain ingest), as of --at.
  std::unique_ptr<domain::reputation::EvidenceIndex> index;
  UnixSeconds at = std::time(nullptr);
  if (args.evidence) {
    if (!args.at.empty()) {
      at = ParseTimestamp(args.at);
      if (at < 0) {
        return Fail(Error{ErrorCode::kInvalidArgument,
                          fmt::format("'{}' is not a date (YYYY-MM-DD, ISO 8601 or Unix seconds)",
                                      args.at),
                          "--at"});
      }
    }
    auto store = ctx.GetStore();
    if (!store) return Fail(store.error());
    auto loaded = domain::reputation::LoadEvidenceIndex(**store, {}, {});
    if (!loaded) return Fail(loaded.error());
    index = std::make_unique<domain::reputation::EvidenceIndex>(std::move(*loaded));
  }

  if (!args.json) {
    std::cout << fmt::format("{:<40} {:<19} {:<23} {:<4} {}\n", "INPUT", "CATEGORY", "ACTION",
                             "CONF", "BLOCK AT");
  }
  int failed = 0;
  for (const auto& item : items) {
    domain::reputation::CategoryEvidence evidence;
    if (index) {
      if (auto target = domain::ParseTarget(item); target && target->name) {
        if (auto registered = target->name->RegisteredDomain()) {
          evidence = domain::reputation::CategoryEvidenceAt(*index, *registered, at);
        }
      }
    }
    auto c = categorizer.Categorize(item, evidence.view());
    if (args.json) {
      auto j = c ? domain::CategorizationToJson(*c)
                 : domain::CategorizationErrorToJson(item, c.error());
      std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    } else if (c) {
      PrintRow(*c);
    } else {
      std::cout << fmt::format("{:<40} {}\n", item, "error");
      std::cerr << fmt::format("mamori: {}: {}\n", item, c.error().message);
    }
    if (!c) ++failed;
  }
  std::cout << std::flush;
  return failed == 0 ? 0 : 1;
}

}  // namespace

void RegisterDomainCommands(CLI::App& app, Context& ctx) {
  auto* domain_cmd = AddCommand(
      app, "domain",
      "Analyze domain names: reputation (score, explain, train, eval, ingest) and categorize");
  domain_cmd->require_subcommand(1);

  auto args = std::make_shared<CategorizeArgs>();
  auto* cmd = AddCommand(
      *domain_cmd, "categorize",
      "How each malicious name or URL was made, and exactly what to block, where, whom to tell.\n"
      "Give the names or URLs you already judge malicious. Each gets a category:\n"
      "  abused services  advertising, cdn, web_hosting, url_shortener, dynamic_dns,\n"
      "                   cloud_storage, paste_site, compromised_site\n"
      "  dedicated        dga, reregistered, typosquatting, attacker_registered\n"
      "  also             legitimate (a popular site named without a URL), ip_literal\n"
      "and an action: block-registered-domain (dedicated domains, blocked whole),\n"
      "block-fqdn (a customer's name on a platform, e.g. evil.duckdns.org, never duckdns.org),\n"
      "block-url (a URL on a shortener, file share or compromised site), report-abuse or\n"
      "monitor; `block_at` is the exact name or URL pattern, `defense_points` where it can be\n"
      "enforced (dns_rpz, firewall, web_proxy, endpoint), `abuse_contact` whom to tell.\n"
      "Input: names or URLs in any case, with ports, userinfo, trailing dots, Unicode or\n"
      "punycode, defanged (hxxp, [.]); IP literals are reported as ip_literal. An invalid item\n"
      "gets an error and the others go on; the exit status is 1 when any item failed.\n"
      "Platforms come from the built-in service lists (docs/formats/service-list.md; add your\n"
      "own with --services DIR) and the Public Suffix List; look-alikes from the typosquat\n"
      "detector over data/brands; generated names from the built-in DGA model\n"
      "(docs/domain-dga.md). See docs/domain-categories.md.\n"
      "Examples:\n"
      "  mamori domain categorize evil.duckdns.org https://bit.ly/3xYz paypa1.com\n"
      "  mamori domain categorize --file urlhaus-hosts.txt --json | jq -r 'select(.action==\"block-fqdn\").block_at'\n"
      "  grep -v '^#' iocs.txt | mamori domain categorize - --json");
  cmd->add_option("items", args->items, "Names or URLs (- reads them from stdin, one per line)")
      ->type_name("NAME|URL");
  cmd->add_option("-f,--file", args->files, "Read names or URLs from FILE, one per line (- = stdin)")
      ->type_name("FILE");
  cmd->add_flag("--json", args->json, "One JSON object per input line (errors as {input, error})");
  cmd->add_option("--services", args->service_dirs,
                  "Directory of extra service lists (*.txt), added to the built-in ones")
      ->type_name("DIR");
  cmd->add_option("--brands", args->brands,
                  "Extra brands (registrable domains, one per line) for the typosquat detector")
      ->type_name("FILE");
  cmd->add_flag("--no-dga", args->no_dga,
                "Do not consult the DGA model (docs/domain-dga.md): no name is called dga");
  cmd->add_option("--data-dir", args->data_dir,
                  "Directory holding brands/ and typosquat/ (default: the shipped data/)")
      ->type_name("DIR");
  cmd->add_flag("--evidence", args->evidence,
                "Also use the store's domain evidence (`domain ingest`: RDAP, zone snapshots, "
                "passive DNS): re-registration after a lapse, CNAMEs onto platforms, abuse contacts");
  cmd->add_option("--at", args->at, "With --evidence: as of this date (default now)")
      ->type_name("DATE");
  cmd->callback([&ctx, args] { ctx.exit_code = RunCategorize(ctx, *args); });
  RegisterDomainReputationCommands(*domain_cmd, ctx);
  RegisterDomainIngestCommand(*domain_cmd, ctx);
}

}  // namespace mamori::cli
