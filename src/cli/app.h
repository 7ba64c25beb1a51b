// The mamori command line: builds the CLI11 command tree from one file per subcommand and runs
// it. No logic lives here beyond argument handling; subcommands call into the libraries.
#pragma once

namespace mamori::cli {

int Run(int argc, char** argv);

}  // namespace mamori::cli
