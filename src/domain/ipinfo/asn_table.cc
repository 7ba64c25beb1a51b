#include "domain/ipinfo/asn_table.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <utility>

namespace mamori::domain::ipinfo {

namespace {

using internal::U128;

// Decompressed size cap: the full iptoasn combined table is about 40 MB.
constexpr size_t kMaxFileBytes = size_t{1} << 30;

bool ParseU32(std::string_view s, uint32_t& out) {
  if (s.empty() || s.size() > 10) return false;
  uint64_t value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  if (value > UINT32_MAX) return false;
  out = static_cast<uint32_t>(value);
  return true;
}

// A range bound: an IPv4 or IPv6 address, or (ip2asn-v4-u32.tsv) an IPv4 address as a decimal
// integer.
bool ParseBound(std::string_view s, IpAddress& out) {
  uint32_t u32 = 0;
  if (ParseU32(s, u32)) {
    out = IpAddress::FromV4(u32);
    return true;
  }
  auto parsed = IpAddress::Parse(s);
  if (!parsed) return false;
  out = *parsed;
  return true;
}

U128 Key(const IpAddress& a) { return a.is_v4() ? U128{a.v4()} : internal::V6Key(a); }

std::string KeyText(U128 key, bool v4) {
  if (v4) return IpAddress::FromV4(static_cast<uint32_t>(key)).ToString();
  std::array<uint8_t, 16> bytes{};
  for (int i = 15; i >= 0; --i) {
    bytes[i] = static_cast<uint8_t>(key);
    key >>= 8;
  }
  return IpAddress::FromV6(bytes).ToString();
}

}  // namespace

// Collects lines into pending ranges, then sorts, checks overlaps and fills the table.
class AsnTableBuilder {
 public:
  struct PendingRange {
    U128 start = 0;
    U128 end = 0;
    AsnTable::Info info;
    uint64_t line = 0;
  };

  AsnTableBuilder(std::string_view origin, AsnTableLoadReport& report)
      : origin_(origin), report_(report) {}

  void AddLine(std::string_view line, uint64_t line_no) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') return;
    // Four tab-separated fields, then the description (rest of the line; may be empty).
    std::string_view fields[5];
    size_t pos = 0;
    for (int i = 0; i < 4; ++i) {
      size_t tab = line.find('\t', pos);
      if (tab == std::string_view::npos) {
        if (i == 3) {  // no description column at all: accept, the name is optional
          fields[3] = line.substr(pos);
          pos = line.size();
          break;
        }
        return Malformed(line_no, fmt::format("expected 5 tab-separated fields, found {}", i + 1));
      }
      fields[i] = line.substr(pos, tab - pos);
      pos = tab + 1;
    }
    fields[4] = pos < line.size() ? line.substr(pos) : std::string_view();

    IpAddress start, end;
    if (!ParseBound(fields[0], start)) {
      return Malformed(
          line_no, fmt::format("range_start '{}' is not an IP address", fields[0].substr(0, 64)));
    }
    if (!ParseBound(fields[1], end)) {
      return Malformed(line_no,
                       fmt::format("range_end '{}' is not an IP address", fields[1].substr(0, 64)));
    }
    start = internal::UnmapV4(start);
    end = internal::UnmapV4(end);
    if (start.family() != end.family()) {
      return Malformed(line_no, "range_start and range_end are of different IP families");
    }
    if (end < start) {
      return Malformed(line_no, fmt::format("range_end {} is before range_start {}", end.ToString(),
                                            start.ToString()));
    }
    std::string_view as_text = fields[2];
    if (as_text.size() > 2 && (as_text.substr(0, 2) == "AS" || as_text.substr(0, 2) == "as")) {
      as_text.remove_prefix(2);
    }
    uint32_t asn = 0;
    if (!ParseU32(as_text, asn)) {
      return Malformed(line_no, fmt::format("AS_number '{}' is not a number from 0 to 4294967295",
                                            fields[2].substr(0, 64)));
    }
    if (asn == 0) {  // iptoasn's "Not routed" ranges: nothing to say about them
      ++report_.not_routed;
      return;
    }
    char country[2] = {0, 0};
    std::string_view cc = fields[3];
    if (cc.size() == 2 && std::isalpha(static_cast<unsigned char>(cc[0])) &&
        std::isalpha(static_cast<unsigned char>(cc[1]))) {
      country[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(cc[0])));
      country[1] = static_cast<char>(std::toupper(static_cast<unsigned char>(cc[1])));
      // ZZ is ISO 3166's user-assigned "unknown"; some data sets write it for no country.
      if (country[0] == 'Z' && country[1] == 'Z') country[0] = country[1] = 0;
    } else if (!(cc.empty() || cc == "None" || cc == "Unknown" || cc == "-")) {
      return Malformed(line_no, fmt::format("country_code '{}' is not an ISO 3166 alpha-2 code",
                                            cc.substr(0, 64)));
    }
    PendingRange range{Key(start), Key(end), MakeInfo(asn, country, fields[4]), line_no};
    (start.is_v4() ? v4_ : v6_).push_back(range);
  }

  Expected<AsnTable> Finish() {
    report_.ranges = v4_.size() + v6_.size();
    if (report_.ranges == 0 && report_.not_routed == 0) {
      std::string first = report_.malformed_examples.empty()
                              ? std::string()
                              : fmt::format(" (first problem: {})", report_.malformed_examples[0]);
      return MakeError(ErrorCode::kCorrupt,
                       fmt::format("no IP range in this file; expected iptoasn TSV lines "
                                   "'range_start<TAB>range_end<TAB>AS_number<TAB>country<TAB>"
                                   "description', or an uncompressed MaxMind DB (.mmdb, "
                                   "extracted from its .tar.gz){}",
                                   first),
                       std::string(origin_));
    }
    MAMORI_RETURN_IF_ERROR(SortAndCheck(v4_, true));
    MAMORI_RETURN_IF_ERROR(SortAndCheck(v6_, false));
    AsnTable table;
    for (const auto& r : v4_) {
      table.v4_starts_.push_back(static_cast<uint32_t>(r.start));
      table.v4_entries_.push_back({static_cast<uint32_t>(r.end), r.info});
    }
    for (const auto& r : v6_) {
      table.v6_starts_.push_back(r.start);
      table.v6_entries_.push_back({r.end, r.info});
    }
    table.org_chars_ = std::move(org_chars_);
    table.BuildIndexes();
    return table;
  }

 private:
  void Malformed(uint64_t line_no, std::string reason) {
    ++report_.malformed_lines;
    if (report_.malformed_examples.size() < AsnTableLoadReport::kMaxExamples) {
      report_.malformed_examples.push_back(fmt::format("{}:{}: {}", origin_, line_no, reason));
    }
  }

  AsnTable::Info MakeInfo(uint32_t asn, const char country[2], std::string_view org) {
    if (org.size() > UINT16_MAX) org = org.substr(0, UINT16_MAX);
    auto it = org_offsets_.find(org);
    if (it == org_offsets_.end()) {
      it = org_offsets_.emplace(std::string(org), static_cast<uint32_t>(org_chars_.size())).first;
      org_chars_ += org;
    }
    AsnTable::Info info;
    info.asn = asn;
    info.org_offset = it->second;
    info.org_length = static_cast<uint16_t>(org.size());
    info.country[0] = country[0];
    info.country[1] = country[1];
    return info;
  }

  Status SortAndCheck(std::vector<PendingRange>& ranges, bool v4) {
    std::sort(ranges.begin(), ranges.end(),
              [](const PendingRange& a, const PendingRange& b) { return a.start < b.start; });
    for (size_t i = 1; i < ranges.size(); ++i) {
      const PendingRange& a = ranges[i - 1];
      const PendingRange& b = ranges[i];
      if (b.start <= a.end) {
        const PendingRange& later = a.line > b.line ? a : b;
        const PendingRange& earlier = a.line > b.line ? b : a;
        return MakeError(
            ErrorCode::kCorrupt,
            fmt::format("range {}-{} overlaps range {}-{} of line {}; an address must map to one "
                        "AS (is this two tables concatenated?)",
                        KeyText(later.start, v4), KeyText(later.end, v4),
                        KeyText(earlier.start, v4), KeyText(earlier.end, v4), earlier.line),
            fmt::format("{}:{}", origin_, later.line));
      }
    }
    return Ok();
  }

  std::string_view origin_;
  AsnTableLoadReport& report_;
  std::vector<PendingRange> v4_, v6_;
  std::string org_chars_;
  std::map<std::string, uint32_t, std::less<>> org_offsets_;
};

Expected<AsnTable> AsnTable::Parse(std::string_view text, std::string_view origin,
                                   AsnTableLoadReport* report) {
  AsnTableLoadReport local;
  AsnTableLoadReport& r = report ? *report : local;
  r = AsnTableLoadReport{};
  AsnTableBuilder builder(origin, r);
  uint64_t line_no = 0;
  size_t pos = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;  // UTF-8 byte-order mark
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    builder.AddLine(text.substr(pos, end - pos), ++line_no);
    pos = end + 1;
  }
  r.lines = line_no;
  return builder.Finish();
}

Expected<AsnTable> AsnTable::Load(const std::string& path, AsnTableLoadReport* report) {
  // gzread reads plain files unchanged, so one path serves .tsv and .tsv.gz.
  std::unique_ptr<gzFile_s, int (*)(gzFile)> file(gzopen(path.c_str(), "rb"), gzclose);
  if (!file) {
    return MakeError(ErrorCode::kIo, fmt::format("cannot open: {}", std::strerror(errno)), path);
  }
  std::string text;
  char buffer[1 << 16];
  while (true) {
    int n = gzread(file.get(), buffer, sizeof(buffer));
    if (n < 0) {
      int err = 0;
      const char* message = gzerror(file.get(), &err);
      return MakeError(
          err == Z_ERRNO ? ErrorCode::kIo : ErrorCode::kCorrupt,
          fmt::format("cannot read: {}", err == Z_ERRNO ? std::strerror(errno) : message), path);
    }
    if (n == 0) break;
    if (text.size() + static_cast<size_t>(n) > kMaxFileBytes) {
      return MakeError(
          ErrorCode::kTooLarge,
          fmt::format("larger than {} MiB; not an IP-to-ASN table?", kMaxFileBytes >> 20), path);
    }
    text.append(buffer, static_cast<size_t>(n));
  }
  return Parse(text, path, report);
}

namespace {

constexpr size_t kBuckets = 65536;

// bucket[h] = index of the first start whose top 16 bits are >= h; bucket[kBuckets] = size.
template <typename Key, typename Top16>
std::vector<uint32_t> BucketIndex(const std::vector<Key>& starts, Top16 top16) {
  std::vector<uint32_t> bucket(kBuckets + 1);
  size_t i = 0;
  for (size_t h = 0; h < kBuckets; ++h) {
    while (i < starts.size() && top16(starts[i]) < h) ++i;
    bucket[h] = static_cast<uint32_t>(i);
  }
  bucket[kBuckets] = static_cast<uint32_t>(starts.size());
  return bucket;
}

inline uint32_t Top16(uint32_t key) { return key >> 16; }
inline uint32_t Top16(U128 key) { return static_cast<uint32_t>(key >> 112); }

// The last range with start <= key, or -1. Only that range can contain `key` (ranges do not
// overlap). It is among the ranges of key's bucket, or is the last range before the bucket.
template <typename Key, typename Entry>
ptrdiff_t Find(const std::vector<Key>& starts, const std::vector<Entry>& entries,
               const std::vector<uint32_t>& bucket, Key key) {
  uint32_t h = Top16(key);
  auto first = starts.begin() + bucket[h];
  auto last = starts.begin() + bucket[h + 1];
  ptrdiff_t i = (std::upper_bound(first, last, key) - starts.begin()) - 1;
  if (i < 0 || key > entries[static_cast<size_t>(i)].end) return -1;
  return i;
}

}  // namespace

void AsnTable::BuildIndexes() {
  v4_bucket_ = BucketIndex(v4_starts_, [](uint32_t k) { return Top16(k); });
  v6_bucket_ = BucketIndex(v6_starts_, [](U128 k) { return Top16(k); });
}

IpInfo AsnTable::MakeInfo(const Info& info) const {
  IpInfo out;
  out.asn = info.asn;
  out.as_org.assign(org_chars_, info.org_offset, info.org_length);
  if (info.country[0] != 0) out.country.assign(info.country, 2);
  return out;
}

std::optional<IpInfo> AsnTable::Lookup(const IpAddress& address) const {
  IpAddress a = internal::UnmapV4(address);
  ptrdiff_t i;
  if (a.is_v4()) {
    i = Find(v4_starts_, v4_entries_, v4_bucket_, a.v4());
    if (i < 0) return std::nullopt;
    return MakeInfo(v4_entries_[static_cast<size_t>(i)].info);
  }
  i = Find(v6_starts_, v6_entries_, v6_bucket_, internal::V6Key(a));
  if (i < 0) return std::nullopt;
  return MakeInfo(v6_entries_[static_cast<size_t>(i)].info);
}

}  // namespace mamori::domain::ipinfo
