// mamori config defaults|check
#include <iostream>

#include "cli/context.h"

namespace mamori::cli {

void RegisterConfigCommands(CLI::App& app, Context& ctx) {
  auto* config = AddCommand(app, "config", "Inspect the configuration (mamori.toml)");
  config->require_subcommand(1);
  AddCommand(*config, "defaults",
             "Print every configuration key with its default, as TOML.\nExample:\n"
             "  mamori config defaults > mamori.toml")
      ->callback([] { std::cout << DefaultConfigToml(); });
  AddCommand(*config, "check",
             "Validate the configuration file and report the first error.\n"
             "Example:\n  mamori --config /etc/mamori.toml config check")
      ->callback([&ctx] {
        auto loaded = ctx.GetConfig();
        if (!loaded) {
          ctx.exit_code = Fail(loaded.error());
          return;
        }
        std::cout << ctx.options.config_path << ": ok\n";
      });
}

}  // namespace mamori::cli
