#include "rse/blocklist/published.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <system_error>

#include "core/atomic_file.h"
#include "core/sha256.h"
#include "rse/blocklist/exporters/exporter.h"

namespace mamori::rse::blocklist {

namespace {

std::string_view ExtensionFor(DeviceKind kind) {
  switch (kind) {
    case DeviceKind::kPaloAltoEdl:
    case DeviceKind::kFortigateFeed:
    case DeviceKind::kPf:
    case DeviceKind::kHosts:
      return "txt";
    case DeviceKind::kNftables:
      return "nft";
    case DeviceKind::kIpset:
      return "ipset";
    case DeviceKind::kUnboundRpz:
    case DeviceKind::kBindRpz:
      return "rpz";
    case DeviceKind::kCsv:
      return "csv";
    case DeviceKind::kStix:
      return "json";
  }
  return "txt";
}

// "\"" + first 32 hex digits of SHA-256(content) + "\"".
std::string EtagFor(std::string_view content) {
  std::string digest = Sha256Hex(content);
  if (digest.size() < 32) {
    // Never happens with a working libcrypto; an ETag must still change with the content.
    return fmt::format("\"len-{}-{}\"", content.size(), std::hash<std::string_view>{}(content));
  }
  return "\"" + digest.substr(0, 32) + "\"";
}

Expected<std::string> ReadWholeFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kIo, "cannot open published list", path.string());
  std::string text;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) return MakeError(ErrorCode::kIo, "error reading published list", path.string());
  return text;
}

}  // namespace

PublishedLists::PublishedLists(std::filesystem::path output_dir)
    : output_dir_(std::move(output_dir)) {}

std::filesystem::path PublishedLists::PathFor(const DeviceProfile& profile) const {
  return output_dir_ / fmt::format("{}.{}", profile.name, ExtensionFor(profile.kind));
}

// The new content is published in memory even when writing the file fails: it is a good build
// and devices should get it; the returned error lets the caller report the disk problem (a
// restart would then serve the previous file).
Status PublishedLists::Publish(const DeviceProfile& profile, std::string content,
                               UnixSeconds built_at, int64_t entries) {
  PublishedList list;
  list.profile = profile.name;
  list.content_type = std::string(ContentTypeFor(profile.kind));
  list.etag = EtagFor(content);
  list.built_at = built_at;
  list.entries = entries;
  list.content = std::move(content);

  Status written = Ok();
  if (!output_dir_.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(output_dir_, ec);
    if (ec) {
      written = MakeError(ErrorCode::kIo,
                          fmt::format("cannot create output directory: {}", ec.message()),
                          output_dir_.string());
    } else {
      written = WriteFileAtomically(PathFor(profile), list.content);
    }
  }
  std::lock_guard lock(mutex_);
  lists_[profile.name] = std::move(list);
  return written;
}

void PublishedLists::RecordFailure(const std::string& profile, std::string error, UnixSeconds at) {
  std::lock_guard lock(mutex_);
  PublishedList& list = lists_[profile];
  list.profile = profile;
  list.last_error = std::move(error);
  list.last_error_at = at;
}

// A list loaded from disk has entries = -1 (unknown until the next build) and built_at = the
// file's modification time. Lists already published in memory are left alone. Every readable
// file is loaded; the first error (an unreadable file) is returned after trying the rest.
Status PublishedLists::LoadFromDisk(const std::vector<DeviceProfile>& profiles) {
  if (output_dir_.empty()) return Ok();
  Status first_error = Ok();
  for (const auto& profile : profiles) {
    std::filesystem::path path = PathFor(profile);
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    {
      std::lock_guard lock(mutex_);
      auto it = lists_.find(profile.name);
      if (it != lists_.end() && !it->second.etag.empty()) continue;
    }
    auto content = ReadWholeFile(path);
    if (!content) {
      if (first_error) first_error = tl::unexpected(content.error());
      continue;
    }
    PublishedList list;
    list.profile = profile.name;
    list.content_type = std::string(ContentTypeFor(profile.kind));
    list.etag = EtagFor(*content);
    list.built_at = static_cast<UnixSeconds>(st.st_mtime);
    list.entries = -1;
    list.content = std::move(*content);
    std::lock_guard lock(mutex_);
    PublishedList& slot = lists_[profile.name];
    if (!slot.etag.empty()) continue;  // published meanwhile
    list.last_error = std::move(slot.last_error);
    list.last_error_at = slot.last_error_at;
    slot = std::move(list);
  }
  return first_error;
}

std::optional<PublishedList> PublishedLists::Get(const std::string& profile) const {
  std::lock_guard lock(mutex_);
  auto it = lists_.find(profile);
  if (it == lists_.end()) return std::nullopt;
  return it->second;
}

std::vector<PublishedList> PublishedLists::All() const {
  std::vector<PublishedList> out;
  {
    std::lock_guard lock(mutex_);
    out.reserve(lists_.size());
    for (const auto& [name, list] : lists_) out.push_back(list);
  }
  std::sort(out.begin(), out.end(),
            [](const PublishedList& a, const PublishedList& b) { return a.profile < b.profile; });
  return out;
}

}  // namespace mamori::rse::blocklist
