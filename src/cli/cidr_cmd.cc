// `mamori cidr`: placeholder registration; the command is being written.
#include "cli/context.h"

namespace mamori::cli {

void RegisterCidrCommands(CLI::App& app, Context& ctx) {}

}  // namespace mamori::cli
