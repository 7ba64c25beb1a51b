// Shared state and helpers for CLI subcommands: global options, lazy opening of the config and
// the store, output (human or --json), and progress lines on a terminal.
//
// Subcommand files (feeds_cmd.cc, intel_cmd.cc, serve_cmd.cc, ...) register themselves on the
// CLI11 app through Register*Commands() and keep only argument handling; the work happens in the
// libraries. Single-threaded use only.
#pragma once

#include <CLI/CLI.hpp>
#include <signal.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/config.h"
#include "core/error.h"
#include "store/store.h"

namespace mamori::cli {

struct GlobalOptions {
  std::string config_path = "mamori.toml";
  bool config_given = false;
  std::string db_path;    // overrides [store] path
  std::string log_level;  // overrides [log] level
  bool log_json = false;  // overrides [log] format
  // One-shot commands print their own results, so routine info logs would repeat them; they
  // log warnings and errors only unless a level is asked for. `serve` turns this off.
  bool quiet_info = true;
};

class Context {
 public:
  GlobalOptions options;
  int exit_code = 0;  // set by the subcommand that ran

  // Loads mamori.toml (once) and applies global overrides; sets up logging.
  Expected<Config*> GetConfig();
  // Opens the store (once) at the configured path.
  Expected<store::Store*> GetStore();

 private:
  std::optional<Config> config_;
  std::unique_ptr<store::Store> store_;
};

// Prints an error to stderr as "mamori: <context>: <message>" and returns exit code 1.
int Fail(const Error& error);
// Prints `value` as indented JSON on stdout.
void PrintJson(const nlohmann::json& value);
// True when stderr is a terminal (progress lines are printed only then).
bool StderrIsTerminal();
// For long-running commands (serve, collect): blocks SIGINT and SIGTERM in this thread and so in
// every thread started after it, and returns the set, for the main thread to sigwait() on — so a
// stop signal never lands in a worker thread.
sigset_t BlockStopSignals();
// Parses "90", "90s", "15m", "6h", "1d" into seconds.
Expected<int> ParseDuration(std::string_view text);
// "1h", "15m", "45s", "2d" for display.
std::string FormatDuration(int seconds);
// "1,234,567".
std::string WithThousands(int64_t n);

// Adds a subcommand whose help text is "One-line summary.\nMore lines...\nExample(s):...": the
// first line is what parent listings show, the rest (details and examples) the command's own
// --help shows below its options.
CLI::App* AddCommand(CLI::App& parent, const std::string& name, std::string_view help);

void RegisterFeedsCommands(CLI::App& app, Context& ctx);
void RegisterIntelCommands(CLI::App& app, Context& ctx);
void RegisterSightCommand(CLI::App& intel_cmd, Context& ctx);  // sight_cmd.cc
void RegisterServeCommand(CLI::App& app, Context& ctx);
void RegisterConfigCommands(CLI::App& app, Context& ctx);
void RegisterBlocklistCommands(CLI::App& app, Context& ctx);  // blocklist_cmd.cc
void RegisterCidrCommands(CLI::App& app, Context& ctx);       // cidr_cmd.cc
void RegisterSimCommands(CLI::App& app, Context& ctx);        // sim_cmd.cc
void RegisterIngestCommand(CLI::App& app, Context& ctx);      // ingest_cmd.cc
void RegisterRulesCommands(CLI::App& app, Context& ctx);      // rules_cmd.cc
void RegisterDetectionsCommands(CLI::App& app, Context& ctx); // detections_cmd.cc
void RegisterCollectCommand(CLI::App& app, Context& ctx);     // collect_cmd.cc
void RegisterAuditCommands(CLI::App& app, Context& ctx);      // audit_cmd.cc
void RegisterUsersCommands(CLI::App& app, Context& ctx);      // users_cmd.cc
void RegisterTokensCommands(CLI::App& app, Context& ctx);     // tokens_cmd.cc
void RegisterActionsCommands(CLI::App& app, Context& ctx);    // actions_cmd.cc (+ respond)
void RegisterDemoCommands(CLI::App& app, Context& ctx);       // demo_cmd.cc
void RegisterAnalyzeCommand(CLI::App& app, Context& ctx);     // analyze_cmd.cc
void RegisterAnalyzeWorkerCommand(CLI::App& app, Context& ctx);  // analyze_worker_cmd.cc (hidden)
void RegisterSamplesCommands(CLI::App& app, Context& ctx);     // samples_cmd.cc
void RegisterDomainCommands(CLI::App& app, Context& ctx);      // domain_cmd.cc
void RegisterDomainReputationCommands(CLI::App& domain_cmd, Context& ctx);  // domain_reputation_cmd.cc
void RegisterDomainIngestCommand(CLI::App& domain_cmd, Context& ctx);  // domain_ingest_cmd.cc

}  // namespace mamori::cli
