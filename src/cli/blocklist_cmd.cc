// `mamori blocklist`: placeholder registration; the command is being written.
#include "cli/context.h"

namespace mamori::cli {

void RegisterBlocklistCommands(CLI::App& app, Context& ctx) {}

}  // namespace mamori::cli
