// Progress lines for long CLI work. On a terminal, each phase of an update ("fetch", "parse",
// "store") is shown on one self-overwriting stderr line with the elapsed time; when stderr is
// not a terminal (scripts, CI, --json) nothing is printed.
#pragma once

#include <chrono>
#include <string>

#include "feeds/updater.h"

namespace mamori::cli {

class Progress {
 public:
  explicit Progress(std::string label);
  feeds::ProgressFn Callback();
  void Done();  // clears the line

 private:
  std::string label_;
  bool enabled_;
  bool printed_ = false;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace mamori::cli
