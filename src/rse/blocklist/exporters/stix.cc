// "stix": a STIX 2.1 bundle with one indicator object per entry (docs/formats/blocklist-stix.md).
//
// Object ids are UUIDv5 of the entry's type and value under mamori's namespace, so every build
// names the same indicator with the same id and two builds of the same data are byte-identical
// (keys are written sorted). created, modified and valid_from are the build time. The pattern
// is a single equality test the STIX parser of any TIP (and ours, feeds/parsers/stix_parser)
// reads back to the same indicator.
#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "rse/blocklist/exporters/internal/formats.h"

namespace mamori::rse::blocklist::exporters {

namespace {

// mamori's namespace for name-based indicator ids (a random UUID fixed once; never change it,
// or every id a consumer has stored changes).
constexpr std::array<uint8_t, 16> kIndicatorNamespace = {
    0xb0, 0xd7, 0x27, 0x04, 0x39, 0x73, 0x4f, 0x62, 0x9d, 0xb3, 0x0b, 0x13, 0x04, 0x15, 0x82, 0x00};

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t len;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

// The STIX object path for an indicator type; empty for a CIDR, whose family decides.
std::string_view ObjectPath(const Indicator& ind) {
  switch (ind.type) {
    case IndicatorType::kIpv4:
      return "ipv4-addr:value";
    case IndicatorType::kIpv6:
      return "ipv6-addr:value";
    case IndicatorType::kCidr:
      return ind.value.find(':') != std::string::npos ? "ipv6-addr:value" : "ipv4-addr:value";
    case IndicatorType::kDomain:
      return "domain-name:value";
    case IndicatorType::kUrl:
      return "url:value";
    case IndicatorType::kSha256:
      return "file:hashes.'SHA-256'";
    case IndicatorType::kSha1:
      return "file:hashes.'SHA-1'";
    case IndicatorType::kMd5:
      return "file:hashes.MD5";
  }
  return {};
}

// STIX string literals escape only the quote and the backslash (STIX 2.1 section 9.2).
std::string PatternLiteral(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  out += '\'';
  return out;
}

// indicator-type-ov (STIX 2.1 section 10.11) for our categories; the inverse of the parser's
// StixCategory(). What a blocklist holds is malicious unless its category says otherwise.
std::string_view IndicatorTypeFor(std::string_view category) {
  if (category == "suspicious") return "anomalous-activity";
  if (category == "anonymizer") return "anonymization";
  if (category == "compromised") return "compromised";
  return "malicious-activity";
}

// STIX timestamps are RFC 3339 in UTC; created/modified need millisecond precision.
std::string StixTimestamp(UnixSeconds t) {
  std::string s = FormatIso8601(t);  // "...:SSZ"
  if (!s.empty() && s.back() == 'Z') s.insert(s.size() - 1, ".000");
  return s;
}

std::string Description(const BlocklistEntry& e) {
  std::string out = "Blocked by mamori";
  if (!e.sources.empty()) {
    out += "; listed by ";
    for (size_t i = 0; i < e.sources.size(); ++i) {
      if (i > 0) out += ", ";
      out += e.sources[i];
    }
  }
  if (e.covered > 1) out += fmt::format("; covers {} listed indicators", e.covered);
  if (e.wildcard) out += "; subdomains blocked too";
  return out;
}

// STIX confidence is an integer 0..100; an aggregate's priority (a sum) can exceed 100.
int Confidence(double priority) {
  if (!std::isfinite(priority) || priority <= 0) return 0;
  return priority >= 100 ? 100 : static_cast<int>(std::lround(priority));
}

}  // namespace

std::string UuidV5(const std::array<uint8_t, 16>& name_space, std::string_view name) {
  std::string input(reinterpret_cast<const char*>(name_space.data()), name_space.size());
  input += name;
  std::array<uint8_t, EVP_MAX_MD_SIZE> d{};
  unsigned int length = 0;
  // SHA-1 is what RFC 9562 fixes for version 5 (as a name hash, not for security). EVP_Digest
  // fails only without a working libcrypto, which the server's TLS needs anyway.
  if (EVP_Digest(input.data(), input.size(), d.data(), &length, EVP_sha1(), nullptr) != 1) {
    return {};
  }
  d[6] = static_cast<uint8_t>((d[6] & 0x0F) | 0x50);  // version 5
  d[8] = static_cast<uint8_t>((d[8] & 0x3F) | 0x80);  // RFC variant
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    fmt::format_to(std::back_inserter(out), "{:02x}", d[i]);
  }
  return out;
}

Expected<RenderResult> RenderStix(const Blocklist& list, const DeviceProfile& profile) {
  RenderResult result;
  std::string ts = StixTimestamp(list.built_at);
  nlohmann::json objects = nlohmann::json::array();
  for (const BlocklistEntry& e : list.entries) {
    const Indicator& ind = e.indicator;
    // JSON text must be UTF-8; a URL path with other bytes cannot be carried unchanged.
    if (!ProfileTakes(profile, e) || !IsValidUtf8(ind.value) || !IsValidUtf8(e.category) ||
        !std::all_of(e.sources.begin(), e.sources.end(),
                     [](const std::string& s) { return IsValidUtf8(s); })) {
      ++result.skipped;
      continue;
    }
    std::string id =
        UuidV5(kIndicatorNamespace, fmt::format("{}:{}", IndicatorTypeName(ind.type), ind.value));
    if (id.empty())
      return MakeError(ErrorCode::kInternal, "SHA-1 failed (libcrypto)", profile.name);
    nlohmann::json o = {
        {"type", "indicator"},
        {"spec_version", "2.1"},
        {"id", "indicator--" + id},
        {"created", ts},
        {"modified", ts},
        {"valid_from", ts},
        {"name", ind.value},
        {"description", Description(e)},
        {"indicator_types", {IndicatorTypeFor(e.category)}},
        {"pattern", fmt::format("[{} = {}]", ObjectPath(ind), PatternLiteral(ind.value))},
        {"pattern_type", "stix"},
        {"pattern_version", "2.1"},
        {"confidence", Confidence(e.priority)},
    };
    if (!e.category.empty()) o["labels"] = {e.category};
    objects.push_back(std::move(o));
    ++result.written;
  }
  std::string bundle_id =
      UuidV5(kIndicatorNamespace, fmt::format("bundle:{}:{}", list.profile, list.built_at));
  if (bundle_id.empty()) {
    return MakeError(ErrorCode::kInternal, "SHA-1 failed (libcrypto)", profile.name);
  }
  nlohmann::json bundle = {
      {"type", "bundle"},
      {"id", "bundle--" + bundle_id},
      {"objects", std::move(objects)},
  };
  result.content = bundle.dump(2) + "\n";
  return result;
}

}  // namespace mamori::rse::blocklist::exporters
