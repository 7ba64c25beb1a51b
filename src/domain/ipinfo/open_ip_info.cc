// OpenIpInfo (domain/ipinfo/ip_info.h): tells MaxMind DB files from TSV tables by content and
// chains the sources.
#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>

#include "domain/ipinfo/asn_table.h"
#include "domain/ipinfo/ip_info.h"
#include "domain/ipinfo/mmdb_source.h"

namespace mamori::domain::ipinfo {

namespace {

constexpr std::string_view kMmdbMarker = "\xAB\xCD\xEFMaxMind.com";
// The specification puts the metadata (which starts after the marker) in the last 128 KiB.
constexpr long kMetadataWindow = 128 * 1024;

enum class FileKind { kTable, kMmdb };

Expected<FileKind> DetectKind(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), std::fclose);
  if (!file) {
    return MakeError(ErrorCode::kIo, fmt::format("cannot open: {}", std::strerror(errno)), path);
  }
  unsigned char magic[2] = {0, 0};
  size_t got = std::fread(magic, 1, 2, file.get());
  if (got == 2 && magic[0] == 0x1f && magic[1] == 0x8b) return FileKind::kTable;  // gzip TSV
  if (std::fseek(file.get(), 0, SEEK_END) != 0) {
    return MakeError(ErrorCode::kIo, fmt::format("cannot seek: {}", std::strerror(errno)), path);
  }
  long size = std::ftell(file.get());
  long window = size < kMetadataWindow ? size : kMetadataWindow;
  if (window < 0 || std::fseek(file.get(), size - window, SEEK_SET) != 0) {
    return MakeError(ErrorCode::kIo, fmt::format("cannot seek: {}", std::strerror(errno)), path);
  }
  std::string tail(static_cast<size_t>(window), '\0');
  if (std::fread(tail.data(), 1, tail.size(), file.get()) != tail.size()) {
    return MakeError(ErrorCode::kIo, fmt::format("cannot read: {}", std::strerror(errno)), path);
  }
  return tail.find(kMmdbMarker) != std::string::npos ? FileKind::kMmdb : FileKind::kTable;
}

// Field-wise chain: for each field, the first source that knows it.
class ChainedIpInfo final : public IpInfoSource {
 public:
  explicit ChainedIpInfo(std::vector<std::unique_ptr<IpInfoSource>> sources)
      : sources_(std::move(sources)) {}

  std::optional<IpInfo> Lookup(const IpAddress& address) const override {
    std::optional<IpInfo> out;
    for (const auto& source : sources_) {
      std::optional<IpInfo> info = source->Lookup(address);
      if (!info) continue;
      if (!out) {
        out = std::move(info);
      } else {
        // ASN and organisation travel together: an org name from another source may be about a
        // different AS.
        if (out->asn == 0 && info->asn != 0) {
          out->asn = info->asn;
          out->as_org = std::move(info->as_org);
        }
        if (out->country.empty()) out->country = std::move(info->country);
      }
      if (out->asn != 0 && !out->country.empty()) break;
    }
    return out;
  }

 private:
  std::vector<std::unique_ptr<IpInfoSource>> sources_;
};

}  // namespace

Expected<std::unique_ptr<IpInfoSource>> OpenIpInfo(const std::vector<std::string>& paths,
                                                   std::vector<IpInfoFileReport>* report) {
  if (paths.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "no IP-to-ASN file given; pass a MaxMind DB (.mmdb) or an iptoasn TSV table");
  }
  if (report) report->clear();
  std::vector<std::unique_ptr<IpInfoSource>> sources;
  for (const std::string& path : paths) {
    MAMORI_ASSIGN_OR_RETURN(FileKind kind, DetectKind(path));
    IpInfoFileReport file_report;
    file_report.path = path;
    if (kind == FileKind::kMmdb) {
      MAMORI_ASSIGN_OR_RETURN(auto mmdb, MmdbSource::Open(path));
      file_report.kind = IpInfoFileReport::Kind::kMmdb;
      file_report.description = mmdb->database_type();
      file_report.entries = mmdb->node_count();
      sources.push_back(std::move(mmdb));
    } else {
      AsnTableLoadReport load;
      MAMORI_ASSIGN_OR_RETURN(AsnTable table, AsnTable::Load(path, &load));
      file_report.kind = IpInfoFileReport::Kind::kTable;
      file_report.description = "iptoasn TSV";
      file_report.entries = load.ranges;
      file_report.malformed_lines = load.malformed_lines;
      file_report.malformed_examples = std::move(load.malformed_examples);
      sources.push_back(std::make_unique<AsnTable>(std::move(table)));
    }
    if (report) report->push_back(std::move(file_report));
  }
  if (sources.size() == 1) return std::move(sources.front());
  return std::unique_ptr<IpInfoSource>(std::make_unique<ChainedIpInfo>(std::move(sources)));
}

}  // namespace mamori::domain::ipinfo
