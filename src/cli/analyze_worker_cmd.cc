// mamori analyze-worker: internal. The child process of malware::AnalyzeInWorker (worker.h):
// reads a request on stdin, confines itself (rlimits, seccomp) and writes the report on stdout.
// Hidden from the command listing; people run `mamori analyze`.
#include <unistd.h>

#include "cli/context.h"
#include "malware/worker.h"

namespace mamori::cli {

void RegisterAnalyzeWorkerCommand(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("analyze-worker", "Internal: the sandboxed child of mamori analyze");
  cmd->group("");  // an empty group hides it from --help
  cmd->callback([&ctx] { ctx.exit_code = malware::RunAnalyzeWorker(STDIN_FILENO, STDOUT_FILENO); });
}

}  // namespace mamori::cli
