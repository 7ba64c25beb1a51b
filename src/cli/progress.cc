#include "cli/progress.h"

#include <fmt/format.h>

#include <cstdio>

#include "cli/context.h"

namespace mamori::cli {

Progress::Progress(std::string label)
    : label_(std::move(label)),
      enabled_(StderrIsTerminal()),
      start_(std::chrono::steady_clock::now()) {}

feeds::ProgressFn Progress::Callback() {
  if (!enabled_) return {};
  return [this](std::string_view phase, std::string_view detail) {
    double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::string line = fmt::format("{}: {} {} ({:.1f}s)", label_, phase, detail, elapsed);
    if (line.size() > 100) line = line.substr(0, 97) + "...";
    std::fprintf(stderr, "\r\033[K%s", line.c_str());
    std::fflush(stderr);
    printed_ = true;
  };
}

void Progress::Done() {
  if (printed_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }
}

}  // namespace mamori::cli
