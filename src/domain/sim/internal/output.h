// Buffered output files for the domain world writers (domain/sim/writers.h), and the record of
// what was written. Internal to domain/sim. Not thread-safe.
#pragma once

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "domain/sim/world.h"

namespace mamori::domain::sim::internal {

// Where the writers put files, and what they wrote (relative paths, total bytes).
struct OutputDir {
  std::filesystem::path root;
  std::vector<std::string> files;
  uint64_t bytes = 0;
};

// A file written through a 1 MiB stdio buffer; Close() reports write errors with the path.
class OutFile {
 public:
  // Creates parent folders; `relative` is recorded in `dir.files` on a successful Close().
  static Expected<std::unique_ptr<OutFile>> Open(OutputDir& dir, const std::string& relative);
  ~OutFile();
  OutFile(const OutFile&) = delete;
  OutFile& operator=(const OutFile&) = delete;

  void Write(std::string_view text) { std::fwrite(text.data(), 1, text.size(), file_); }
  template <typename... Args>
  void Print(fmt::format_string<Args...> format, Args&&... args) {
    fmt::print(file_, format, std::forward<Args>(args)...);
  }
  Status Close();

 private:
  OutFile(OutputDir& dir, std::string relative, FILE* file);
  OutputDir& dir_;
  std::string relative_;
  FILE* file_;
  std::unique_ptr<char[]> buffer_;
};

using ProgressFn = std::function<void(std::string_view phase, std::string_view detail)>;

// The writers (one per format family). Each returns the first error it met.
Status WriteZones(const World& world, OutputDir& dir, const ProgressFn& progress);
Status WriteRdap(const World& world, OutputDir& dir, const ProgressFn& progress);
// Also returns, per domain, the day a "benign" label becomes knowable (kNoDay: never).
Status WritePopularity(const World& world, OutputDir& dir, std::vector<int>& benign_label_day,
                       const ProgressFn& progress);
Status WriteBlocklists(const World& world, OutputDir& dir, const ProgressFn& progress);
Status WriteTruthAndLabels(const World& world, const std::vector<int>& benign_label_day,
                           OutputDir& dir);
Status WriteDnsdb(const World& world, OutputDir& dir, const ProgressFn& progress);
Status WriteZeek(const World& world, OutputDir& dir, const ProgressFn& progress);
Status WriteIp2Asn(const World& world, OutputDir& dir);

// "YYYY-MM-DD" of a world day.
inline std::string DayDate(const World& world, int day) {
  return FormatDate(world.config.start_epoch_day + day);
}
// Unix time of 00:00 UTC of a world day.
inline int64_t DayEpoch(const World& world, int day) {
  return (static_cast<int64_t>(world.config.start_epoch_day) + day) * 86400;
}

}  // namespace mamori::domain::sim::internal
