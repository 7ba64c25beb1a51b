// PublishedLists: the last good rendered list of every device profile, as `mamori serve` hands
// it to devices at /edl/<profile>.txt.
//
// A build that fails, or that would exceed the profile's capacity, never replaces what is
// published: RecordFailure() keeps the previous content and only notes the error, which the
// status page and `GET /api/v1/blocklists` report. Published content is also written to
// `<output_dir>/<profile>.<ext>` (atomically) so a restart serves the last good list at once.
// Thread-safe: the scheduler publishes while HTTP threads read.
#pragma once

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "rse/blocklist/profile.h"

namespace mamori::rse::blocklist {

struct PublishedList {
  std::string profile;
  std::string content;
  std::string content_type;
  std::string etag;          // strong ETag: "\"" + hex SHA-256 prefix of content + "\""
  UnixSeconds built_at = 0;  // when the content was built
  int64_t entries = 0;
  // The latest failed build since `built_at` (empty when the last build succeeded).
  std::string last_error;
  UnixSeconds last_error_at = 0;
};

class PublishedLists {
 public:
  // `output_dir` empty: keep lists in memory only.
  explicit PublishedLists(std::filesystem::path output_dir = {});

  // Publishes new content for a profile (computes the ETag, writes the file if output_dir set).
  Status Publish(const DeviceProfile& profile, std::string content, UnixSeconds built_at,
                 int64_t entries);
  // Notes a failed build; what is published stays as it was.
  void RecordFailure(const std::string& profile, std::string error, UnixSeconds at);
  // Loads previously written files for these profiles from output_dir (on startup).
  Status LoadFromDisk(const std::vector<DeviceProfile>& profiles);

  std::optional<PublishedList> Get(const std::string& profile) const;
  std::vector<PublishedList> All() const;  // sorted by profile name

  // "<output_dir>/<profile>.<ext>" where ext depends on the kind (txt, nft, ipset, rpz, csv, json).
  std::filesystem::path PathFor(const DeviceProfile& profile) const;

 private:
  std::filesystem::path output_dir_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, PublishedList> lists_;
};

}  // namespace mamori::rse::blocklist
