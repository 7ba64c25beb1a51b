#include "cli/app.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/context.h"

namespace mamori::cli {

int Run(int argc, char** argv) {
  CLI::App app{
      "mamori turns threat data into enforcement: it collects threat-intel feeds into a store\n"
      "that remembers since when and by whom every indicator was listed, and serves it.\n\n"
      "Start with:  mamori serve            (web console and API on http://127.0.0.1:8080)\n"
      "             mamori feeds list       (configured feeds and their state)\n"
      "             mamori intel lookup 1.2.3.4"};
  app.name("mamori");
  app.set_version_flag("--version", "mamori 0.1.0");
  app.require_subcommand(1);
  app.fallthrough();

  Context ctx;
  app.add_option_function<std::string>(
         "-c,--config",
         [&](const std::string& path) {
           ctx.options.config_path = path;
           ctx.options.config_given = true;
         },
         "Configuration file (default: ./mamori.toml if present; see docs/formats/mamori-toml.md)")
      ->type_name("FILE");
  app.add_option("--db", ctx.options.db_path, "SQLite store to use instead of [store] path")
      ->type_name("FILE");
  app.add_option("--log-level", ctx.options.log_level,
                 "trace, debug, info, warn, error, critical or off");
  app.add_flag("--log-json", ctx.options.log_json, "Write logs as JSON lines on stderr");

  RegisterFeedsCommands(app, ctx);
  RegisterIntelCommands(app, ctx);
  RegisterServeCommand(app, ctx);
  RegisterConfigCommands(app, ctx);
  RegisterBlocklistCommands(app, ctx);
  RegisterCidrCommands(app, ctx);
  RegisterSimCommands(app, ctx);
  RegisterIngestCommand(app, ctx);
  RegisterRulesCommands(app, ctx);
  RegisterDetectionsCommands(app, ctx);
  RegisterCollectCommand(app, ctx);
  RegisterAuditCommands(app, ctx);
  RegisterUsersCommands(app, ctx);
  RegisterTokensCommands(app, ctx);
  RegisterActionsCommands(app, ctx);
  RegisterDemoCommands(app, ctx);
  RegisterAnalyzeCommand(app, ctx);
  RegisterAnalyzeWorkerCommand(app, ctx);
  RegisterSamplesCommands(app, ctx);
  RegisterDomainCommands(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return ctx.exit_code;
}

}  // namespace mamori::cli
