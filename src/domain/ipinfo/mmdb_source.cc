#include "domain/ipinfo/mmdb_source.h"

#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "domain/ipinfo/internal/address.h"

namespace mamori::domain::ipinfo {

Expected<std::unique_ptr<MmdbSource>> MmdbSource::Open(const std::string& path) {
  std::unique_ptr<MmdbSource> source(new MmdbSource());
  int status = MMDB_open(path.c_str(), MMDB_MODE_MMAP, &source->mmdb_);
  if (status != MMDB_SUCCESS) {
    switch (status) {
      case MMDB_FILE_OPEN_ERROR:
        return MakeError(ErrorCode::kIo,
                         fmt::format("cannot open MaxMind DB file: {}", std::strerror(errno)),
                         path);
      case MMDB_IO_ERROR:
        return MakeError(ErrorCode::kIo,
                         fmt::format("cannot read MaxMind DB file: {}", std::strerror(errno)),
                         path);
      case MMDB_INVALID_METADATA_ERROR:
      case MMDB_UNKNOWN_DATABASE_FORMAT_ERROR:
        return MakeError(ErrorCode::kCorrupt,
                         fmt::format("not a MaxMind DB file ({}); expected a .mmdb such as "
                                     "GeoLite2-ASN.mmdb or GeoLite2-Country.mmdb",
                                     MMDB_strerror(status)),
                         path);
      default:
        return MakeError(ErrorCode::kCorrupt,
                         fmt::format("cannot load MaxMind DB file: {}", MMDB_strerror(status)),
                         path);
    }
  }
  source->open_ = true;
  return source;
}

MmdbSource::~MmdbSource() {
  if (open_) MMDB_close(&mmdb_);
}

std::string MmdbSource::database_type() const {
  return mmdb_.metadata.database_type ? std::string(mmdb_.metadata.database_type) : std::string();
}

namespace {

// Reads a string at `path...` (NULL-terminated key list) of `entry`, if present and a string.
template <typename... Keys>
std::optional<std::string> GetString(MMDB_entry_s& entry, Keys... keys) {
  MMDB_entry_data_s data{};
  if (MMDB_get_value(&entry, &data, keys..., nullptr) != MMDB_SUCCESS || !data.has_data ||
      data.type != MMDB_DATA_TYPE_UTF8_STRING) {
    return std::nullopt;
  }
  return std::string(data.utf8_string, data.data_size);
}

// The ASN as written by any producer: MaxMind writes uint32; other writers use other widths.
std::optional<uint32_t> GetAsn(MMDB_entry_s& entry) {
  MMDB_entry_data_s data{};
  if (MMDB_get_value(&entry, &data, "autonomous_system_number", nullptr) != MMDB_SUCCESS ||
      !data.has_data) {
    return std::nullopt;
  }
  switch (data.type) {
    case MMDB_DATA_TYPE_UINT32:
      return data.uint32;
    case MMDB_DATA_TYPE_UINT16:
      return data.uint16;
    case MMDB_DATA_TYPE_INT32:
      if (data.int32 > 0) return static_cast<uint32_t>(data.int32);
      return std::nullopt;
    case MMDB_DATA_TYPE_UINT64:
      if (data.uint64 <= UINT32_MAX) return static_cast<uint32_t>(data.uint64);
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

}  // namespace

std::optional<IpInfo> MmdbSource::Lookup(const IpAddress& address) const {
  IpAddress a = internal::UnmapV4(address);
  sockaddr_storage storage{};
  if (a.is_v4()) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&storage);
    sin->sin_family = AF_INET;
    std::memcpy(&sin->sin_addr, a.bytes().data(), 4);
  } else {
    if (mmdb_.metadata.ip_version == 4) return std::nullopt;
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&storage);
    sin6->sin6_family = AF_INET6;
    std::memcpy(&sin6->sin6_addr, a.bytes().data(), 16);
  }
  int mmdb_error = MMDB_SUCCESS;
  MMDB_lookup_result_s result =
      MMDB_lookup_sockaddr(&mmdb_, reinterpret_cast<const sockaddr*>(&storage), &mmdb_error);
  if (mmdb_error != MMDB_SUCCESS || !result.found_entry) return std::nullopt;

  IpInfo info;
  if (auto asn = GetAsn(result.entry)) {
    info.asn = *asn;
    if (auto org = GetString(result.entry, "autonomous_system_organization")) {
      info.as_org = std::move(*org);
    }
  }
  auto country = GetString(result.entry, "country", "iso_code");
  // GeoLite2-Country leaves `country` out for some networks (anycast, satellite) and keeps
  // only the registrant's country.
  if (!country) country = GetString(result.entry, "registered_country", "iso_code");
  if (country && country->size() == 2) info.country = std::move(*country);
  if (info.asn == 0 && info.country.empty()) return std::nullopt;
  return info;
}

}  // namespace mamori::domain::ipinfo
