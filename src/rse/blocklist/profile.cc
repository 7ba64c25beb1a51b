#include "rse/blocklist/profile.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <fstream>
#include <map>
#include <system_error>

#include "core/domain_name.h"
#include "core/toml_where.h"

namespace mamori::rse::blocklist {

namespace {

// What a kind can hold and its defaults. One row per DeviceKind; docs/formats/device-profile.md
// documents this table.
struct KindInfo {
  DeviceKind kind;
  std::string_view name;
  bool ip, domain, url, hash;
  // A PAN-OS EDL and a FortiGate feed are typed: one list holds one class of entries only.
  bool single_class;
  bool wildcard_default;
  Capacity default_capacity;  // used when the profile has no [capacity] table
};

constexpr KindInfo kKinds[] = {
    {DeviceKind::kPaloAltoEdl,
     "paloalto-edl",
     true,
     true,
     true,
     false,
     true,
     false,
     {.ip = 50'000}},
    {DeviceKind::kFortigateFeed,
     "fortigate-feed",
     true,
     true,
     true,
     true,
     true,
     false,
     {.ip = 300'000}},
    {DeviceKind::kNftables, "nftables", true, false, false, false, false, false, {.ip = 1'000'000}},
    {DeviceKind::kIpset, "ipset", true, false, false, false, false, false, {.ip = 65'536}},
    {DeviceKind::kPf, "pf", true, false, false, false, false, false, {.ip = 200'000}},
    {DeviceKind::kUnboundRpz,
     "unbound-rpz",
     true,
     true,
     false,
     false,
     false,
     true,
     {.ip = 100'000, .domain = 1'000'000}},
    {DeviceKind::kBindRpz,
     "bind-rpz",
     true,
     true,
     false,
     false,
     false,
     true,
     {.ip = 100'000, .domain = 1'000'000}},
    {DeviceKind::kHosts, "hosts", false, true, false, false, false, false, {.domain = 200'000}},
    {DeviceKind::kCsv,
     "csv",
     true,
     true,
     true,
     true,
     false,
     false,
     {.ip = 1'000'000, .domain = 1'000'000, .url = 1'000'000, .hash = 1'000'000}},
    {DeviceKind::kStix,
     "stix",
     true,
     true,
     true,
     true,
     false,
     false,
     {.ip = 1'000'000, .domain = 1'000'000, .url = 1'000'000, .hash = 1'000'000}},
};

const KindInfo& InfoFor(DeviceKind kind) {
  for (const auto& k : kKinds) {
    if (k.kind == kind) return k;
  }
  return kKinds[0];
}

std::string KnownKinds() {
  std::string out;
  for (const auto& k : kKinds) {
    if (!out.empty()) out += ", ";
    out += k.name;
  }
  return out;
}

std::string TakenClasses(const KindInfo& info) {
  std::string out;
  auto add = [&](bool yes, std::string_view name) {
    if (!yes) return;
    if (!out.empty()) out += ", ";
    out += name;
  };
  add(info.ip, "ip");
  add(info.domain, "domain");
  add(info.url, "url");
  add(info.hash, "hash");
  return out;
}

constexpr int64_t kMaxCapacity = 1'000'000'000;
constexpr int64_t kMinRefresh = 60;
constexpr int64_t kMaxRefresh = 30 * 86400;
constexpr size_t kMaxNameLength = 64;
// ipset and pf names are at most 31 characters; IPv6 sets get "_v6" appended.
constexpr size_t kMaxSetNameLength = 28;

bool IsProfileName(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(name.front())) return false;  // no ".hidden", no "-flag"
  return std::all_of(name.begin(), name.end(),
                     [&](char c) { return alnum(c) || c == '.' || c == '_' || c == '-'; });
}

bool IsIdentifier(std::string_view name, size_t max_length) {
  if (name.empty() || name.size() > max_length) return false;
  if (name.front() >= '0' && name.front() <= '9') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool IsSha256Hex(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 'a' - 'A');
  }
  return out;
}

// "1h", "15m", "30s", "2d", "3600" -> seconds; nullopt when malformed or overflowing.
std::optional<int64_t> ParseDuration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int64_t unit = 1;
  switch (text.back()) {
    case 's':
      text.remove_suffix(1);
      break;
    case 'm':
      unit = 60;
      text.remove_suffix(1);
      break;
    case 'h':
      unit = 3600;
      text.remove_suffix(1);
      break;
    case 'd':
      unit = 86400;
      text.remove_suffix(1);
      break;
    default:
      break;
  }
  if (text.empty() || text.size() > 12) return std::nullopt;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value * unit;
}

constexpr std::string_view kRpzActions[] = {"nxdomain", "nodata", "drop", "passthru", "tcp-only"};

struct Problem {
  toml::source_index line = 0;
  Error error;
};

class ProfileReader {
 public:
  ProfileReader(std::string_view origin, DeviceProfile& profile)
      : origin_(origin), profile_(profile) {}

  Status Read(const toml::table& root) {
    const toml::node* kind_node = nullptr;
    const toml::node* capacity_node = nullptr;
    toml::source_region capacity_region;
    for (const auto& [key, node] : root) {
      std::string_view k = key.str();
      if (k == "name") {
        if (auto s = String(key, node, "a profile name")) {
          if (!IsProfileName(*s)) {
            Add(key.source(),
                fmt::format("key 'name' must match [a-z0-9][a-z0-9._-]* (at most {} characters), "
                            "got '{}'",
                            kMaxNameLength, *s));
          } else {
            profile_.name = *s;
            name_set_ = true;
          }
        }
      } else if (k == "description") {
        if (auto s = String(key, node, "a string", /*allow_empty=*/true)) profile_.description = *s;
      } else if (k == "kind") {
        kind_node = &node;
        if (auto s = String(key, node, "one of " + KnownKinds())) {
          if (auto kind = ParseDeviceKind(*s)) {
            profile_.kind = *kind;
            kind_set_ = true;
          } else {
            Add(key.source(), fmt::format("unknown kind '{}' (known kinds: {})", *s, KnownKinds()));
          }
        }
      } else if (k == "refresh") {
        ReadRefresh(key, node);
      } else if (k == "min_score") {
        if (auto v = Integer(key, node, 0, 100)) profile_.min_score = static_cast<int>(*v);
      } else if (k == "categories") {
        StringArray(key, node, profile_.categories);
      } else if (k == "sources") {
        StringArray(key, node, profile_.sources);
      } else if (k == "cidr") {
        if (auto s = String(key, node, "one of one-entry|per-address|unsupported")) {
          if (*s == "one-entry") {
            profile_.cidr = CidrPolicy::kOneEntry;
          } else if (*s == "per-address") {
            profile_.cidr = CidrPolicy::kPerAddress;
          } else if (*s == "unsupported") {
            profile_.cidr = CidrPolicy::kUnsupported;
          } else {
            Add(key.source(),
                fmt::format("key 'cidr' must be one of one-entry|per-address|unsupported, got "
                            "'{}'",
                            *s));
          }
        }
      } else if (k == "wildcard_domains") {
        if (const auto* b = node.as_boolean()) {
          profile_.wildcard_domains = b->get();
          wildcard_set_ = true;
        } else {
          Wrong(key, node, "a boolean (true or false)");
        }
      } else if (k == "capacity") {
        capacity_node = &node;
        capacity_region = key.source();
        ReadCapacity(key, node);
      } else if (k == "output") {
        ReadOutput(key, node);
      } else if (k == "delivery") {
        ReadDelivery(key, node);
      } else {
        Add(key.source(),
            fmt::format("unknown key '{}' (known keys: name, description, kind, refresh, "
                        "min_score, categories, sources, cidr, wildcard_domains, [capacity], "
                        "[output], [delivery])",
                        k));
      }
    }
    if (kind_node == nullptr) {
      Add({}, fmt::format("missing key 'kind' (one of {})", KnownKinds()));
    }
    if (problems_.empty() && kind_set_) CheckAgainstKind(capacity_node, capacity_region);
    return Result();
  }

  bool name_set() const { return name_set_; }

 private:
  void Add(const toml::source_region& where, std::string message) {
    problems_.push_back({where.begin.line, Error{ErrorCode::kInvalidArgument, std::move(message),
                                                 TomlWhere(origin_, where)}});
  }

  void Wrong(const toml::key& key, const toml::node& node, std::string_view expected,
             std::string_view prefix = {}) {
    Add(key.source(), fmt::format("key '{}{}' must be {}, got {}", prefix, key.str(), expected,
                                  TomlTypeName(node)));
  }

  std::optional<std::string> String(const toml::key& key, const toml::node& node,
                                    std::string_view expected, bool allow_empty = false,
                                    std::string_view prefix = {}) {
    const auto* s = node.as_string();
    if (s == nullptr) {
      Wrong(key, node, expected, prefix);
      return std::nullopt;
    }
    if (!allow_empty && s->get().empty()) {
      Add(key.source(),
          fmt::format("key '{}{}' must be {}, got an empty string", prefix, key.str(), expected));
      return std::nullopt;
    }
    return s->get();
  }

  std::optional<int64_t> Integer(const toml::key& key, const toml::node& node, int64_t min,
                                 int64_t max, std::string_view prefix = {}) {
    const auto* i = node.as_integer();
    std::string expected = fmt::format("an integer in {}..{}", min, max);
    if (i == nullptr) {
      Wrong(key, node, expected, prefix);
      return std::nullopt;
    }
    if (i->get() < min || i->get() > max) {
      Add(key.source(),
          fmt::format("key '{}{}' must be {}, got {}", prefix, key.str(), expected, i->get()));
      return std::nullopt;
    }
    return i->get();
  }

  void StringArray(const toml::key& key, const toml::node& node, std::vector<std::string>& out) {
    const auto* array = node.as_array();
    if (array == nullptr) {
      Wrong(key, node, "an array of non-empty strings");
      return;
    }
    out.clear();
    for (const auto& element : *array) {
      const auto* s = element.as_string();
      if (s == nullptr || s->get().empty()) {
        Add(element.source().begin.line != 0 ? element.source() : key.source(),
            fmt::format("key '{}' must be an array of non-empty strings, got {}", key.str(),
                        s == nullptr ? TomlTypeName(element) : "an empty string"));
        return;
      }
      if (std::find(out.begin(), out.end(), s->get()) == out.end()) out.push_back(s->get());
    }
  }

  void ReadRefresh(const toml::key& key, const toml::node& node) {
    std::optional<int64_t> seconds;
    std::string shown;
    if (const auto* i = node.as_integer()) {
      seconds = i->get();
      shown = std::to_string(i->get());
    } else if (const auto* s = node.as_string()) {
      seconds = ParseDuration(s->get());
      shown = fmt::format("'{}'", s->get());
    } else {
      Wrong(key, node, "a duration (\"15m\", \"1h\", \"1d\" or seconds)");
      return;
    }
    if (!seconds || *seconds < kMinRefresh || *seconds > kMaxRefresh) {
      Add(key.source(),
          fmt::format("key 'refresh' must be a duration from 1m to 30d (\"15m\", \"1h\", \"1d\", "
                      "or seconds such as 3600), got {}",
                      shown));
      return;
    }
    profile_.refresh_seconds = *seconds;
  }

  const toml::table* Table(const toml::key& key, const toml::node& node) {
    const auto* table = node.as_table();
    if (table == nullptr) {
      Add(key.source(), fmt::format("'{}' must be a table ([{}]), got {}", key.str(), key.str(),
                                    TomlTypeName(node)));
    }
    return table;
  }

  void ReadCapacity(const toml::key& key, const toml::node& node) {
    const auto* table = Table(key, node);
    if (table == nullptr) return;
    // [capacity] replaces the kind's defaults as a whole: classes not named hold nothing.
    capacity_set_ = true;
    profile_.capacity = Capacity{};
    for (const auto& [k, v] : *table) {
      int64_t* field = nullptr;
      if (k.str() == "ip") {
        field = &profile_.capacity.ip;
        capacity_keys_[0] = k.source();
      } else if (k.str() == "domain") {
        field = &profile_.capacity.domain;
        capacity_keys_[1] = k.source();
      } else if (k.str() == "url") {
        field = &profile_.capacity.url;
        capacity_keys_[2] = k.source();
      } else if (k.str() == "hash") {
        field = &profile_.capacity.hash;
        capacity_keys_[3] = k.source();
      } else if (k.str() == "total") {
        field = &profile_.capacity.total;
      } else {
        Add(k.source(), fmt::format("unknown key 'capacity.{}' (known keys in [capacity]: ip, "
                                    "domain, url, hash, total)",
                                    k.str()));
        continue;
      }
      if (auto value = Integer(k, v, 0, kMaxCapacity, "capacity.")) *field = *value;
    }
  }

  void ReadOutput(const toml::key& key, const toml::node& node) {
    const auto* table = Table(key, node);
    if (table == nullptr) return;
    for (const auto& [k, v] : *table) {
      std::string_view name = k.str();
      if (name == "nft_table" || name == "set_name") {
        size_t max = name == "set_name" ? kMaxSetNameLength : kMaxNameLength;
        std::string expected =
            fmt::format("a name of letters, digits and '_' (at most {} characters)", max);
        auto s = String(k, v, expected, false, "output.");
        if (!s) continue;
        if (!IsIdentifier(*s, max)) {
          Add(k.source(), fmt::format("key 'output.{}' must be {}, got '{}'", name, expected, *s));
          continue;
        }
        (name == "set_name" ? profile_.set_name : profile_.nft_table) = *s;
      } else if (name == "rpz_zone") {
        auto s = String(k, v, "a DNS name", false, "output.");
        if (!s) continue;
        auto zone = DomainName::Parse(*s);
        if (!zone) {
          Add(k.source(), fmt::format("key 'output.rpz_zone' must be a DNS name, got '{}' ({})", *s,
                                      zone.error().message));
          continue;
        }
        profile_.rpz_zone = zone->name();
      } else if (name == "rpz_action") {
        constexpr std::string_view expected =
            "one of nxdomain|nodata|drop|passthru|tcp-only or a DNS name to answer with as CNAME";
        auto s = String(k, v, expected, false, "output.");
        if (!s) continue;
        std::string lower = Lower(*s);
        if (std::find(std::begin(kRpzActions), std::end(kRpzActions), lower) !=
            std::end(kRpzActions)) {
          profile_.rpz_action = lower;
          continue;
        }
        auto target = DomainName::Parse(*s);
        if (!target) {
          Add(k.source(),
              fmt::format("key 'output.rpz_action' must be {}, got '{}'", expected, *s));
          continue;
        }
        profile_.rpz_action = target->name();
      } else {
        Add(k.source(), fmt::format("unknown key 'output.{}' (known keys in [output]: "
                                    "nft_table, set_name, rpz_zone, rpz_action)",
                                    name));
      }
    }
  }

  void ReadDelivery(const toml::key& key, const toml::node& node) {
    const auto* table = Table(key, node);
    if (table == nullptr) return;
    delivery_region_ = key.source();
    for (const auto& [k, v] : *table) {
      std::string_view name = k.str();
      if (name == "bearer_token_sha256" || name == "basic_password_sha256") {
        constexpr std::string_view expected =
            "the hex SHA-256 of the secret (64 hex digits; `printf %s SECRET | sha256sum`)";
        auto s = String(k, v, expected, false, "delivery.");
        if (!s) continue;
        if (!IsSha256Hex(*s)) {
          // Never echo the value: it may be the secret itself pasted by mistake.
          Add(k.source(), fmt::format("key 'delivery.{}' must be {}, got a string of {} "
                                      "characters that is not one",
                                      name, expected, s->size()));
          continue;
        }
        (name == "bearer_token_sha256" ? profile_.auth.bearer_token_sha256
                                       : profile_.auth.basic_password_sha256) = Lower(*s);
      } else if (name == "basic_user") {
        constexpr std::string_view expected = "a user name without ':' or control characters";
        auto s = String(k, v, expected, false, "delivery.");
        if (!s) continue;
        bool ok = std::none_of(s->begin(), s->end(), [](char c) {
          return c == ':' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
        });
        if (!ok) {
          Add(k.source(), fmt::format("key 'delivery.basic_user' must be {}", expected));
          continue;
        }
        profile_.auth.basic_user = *s;
      } else {
        Add(k.source(), fmt::format("unknown key 'delivery.{}' (known keys in [delivery]: "
                                    "bearer_token_sha256, basic_user, basic_password_sha256)",
                                    name));
      }
    }
    if (profile_.auth.basic_user.empty() != profile_.auth.basic_password_sha256.empty()) {
      Add(delivery_region_,
          "[delivery] needs both basic_user and basic_password_sha256 for basic auth, or neither");
    }
  }

  void CheckAgainstKind(const toml::node* capacity_node,
                        const toml::source_region& capacity_region) {
    const KindInfo& info = InfoFor(profile_.kind);
    if (!capacity_set_) profile_.capacity = info.default_capacity;
    if (!wildcard_set_) profile_.wildcard_domains = info.wildcard_default;
    const Capacity& c = profile_.capacity;
    struct ClassCheck {
      std::string_view name;
      int64_t value;
      bool taken;
      std::string_view words;
    };
    const std::array<ClassCheck, 4> classes = {{
        {"ip", c.ip, info.ip, "IP addresses"},
        {"domain", c.domain, info.domain, "domain names"},
        {"url", c.url, info.url, "URLs"},
        {"hash", c.hash, info.hash, "file hashes"},
    }};
    int classes_used = 0;
    for (size_t i = 0; i < classes.size(); ++i) {
      if (classes[i].value <= 0) continue;
      ++classes_used;
      if (!classes[i].taken) {
        Add(capacity_keys_[i].begin.line != 0 ? capacity_keys_[i] : capacity_region,
            fmt::format("kind '{}' cannot hold {}; set capacity.{} = 0 (it takes: {})", info.name,
                        classes[i].words, classes[i].name, TakenClasses(info)));
      }
    }
    if (classes_used == 0) {
      Add(capacity_node != nullptr ? capacity_region : toml::source_region{},
          fmt::format("the profile holds nothing: set at least one of capacity.{{{}}} above 0",
                      TakenClasses(info)));
    } else if (info.single_class && classes_used > 1) {
      Add(capacity_region,
          fmt::format("a {} list holds one class of entries only (the device rejects mixed "
                      "lists); make one profile per class",
                      info.name));
    }
  }

  Status Result() {
    if (problems_.empty()) return Ok();
    // Tables iterate in key order, not file order; report the first problem in the file
    // (problems without a line, such as a missing key, come last).
    auto first = std::min_element(problems_.begin(), problems_.end(),
                                  [](const Problem& a, const Problem& b) {
                                    auto la = a.line == 0 ? UINT32_MAX : a.line;
                                    auto lb = b.line == 0 ? UINT32_MAX : b.line;
                                    return la < lb;
                                  });
    Error error = std::move(first->error);
    if (problems_.size() > 1) {
      error.message += fmt::format(" (and {} more problem{} after fixing this one)",
                                   problems_.size() - 1, problems_.size() > 2 ? "s" : "");
    }
    return tl::unexpected(std::move(error));
  }

  std::string_view origin_;
  DeviceProfile& profile_;
  std::vector<Problem> problems_;
  std::array<toml::source_region, 4> capacity_keys_{};
  toml::source_region delivery_region_;
  bool name_set_ = false;
  bool kind_set_ = false;
  bool wildcard_set_ = false;
  bool capacity_set_ = false;
};

Error FromParseError(const toml::parse_error& e, std::string_view origin) {
  const auto& begin = e.source().begin;
  std::string where(origin);
  if (begin.line != 0) where += fmt::format(":{}:{}", begin.line, begin.column);
  return Error{ErrorCode::kInvalidArgument, fmt::format("TOML syntax error: {}", e.description()),
               std::move(where)};
}

Expected<DeviceProfile> Interpret(const toml::table& root, std::string_view origin,
                                  std::string_view default_name) {
  DeviceProfile profile;
  ProfileReader reader(origin, profile);
  MAMORI_RETURN_IF_ERROR(reader.Read(root));
  if (!reader.name_set()) {
    if (!IsProfileName(default_name)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("profile name '{}' (from the file name) must match "
                                   "[a-z0-9][a-z0-9._-]*; rename the file or set `name`",
                                   default_name),
                       std::string(origin));
    }
    profile.name = std::string(default_name);
  }
  return profile;
}

Expected<std::string> ReadSmallFile(const std::filesystem::path& path) {
  constexpr std::uintmax_t kMaxBytes = 1 << 20;
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    return MakeError(ErrorCode::kIo, fmt::format("cannot read profile: {}", ec.message()),
                     path.string());
  }
  if (size > kMaxBytes) {
    return MakeError(ErrorCode::kTooLarge, "profile is larger than 1 MiB; is this the right file?",
                     path.string());
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kIo, "cannot open profile", path.string());
  std::string text(static_cast<size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  text.resize(static_cast<size_t>(in.gcount()));
  if (in.bad()) return MakeError(ErrorCode::kIo, "error reading profile", path.string());
  return text;
}

}  // namespace

std::string_view DeviceKindName(DeviceKind kind) { return InfoFor(kind).name; }

std::optional<DeviceKind> ParseDeviceKind(std::string_view name) {
  for (const auto& k : kKinds) {
    if (k.name == name) return k.kind;
  }
  return std::nullopt;
}

Expected<DeviceProfile> ParseProfile(std::string_view toml_text, std::string_view origin,
                                     std::string_view default_name) {
  std::string origin_text = origin.empty() ? std::string("<profile>") : std::string(origin);
#if TOML_EXCEPTIONS
  try {
    toml::table root = toml::parse(toml_text, origin_text);
    return Interpret(root, origin_text, default_name);
  } catch (const toml::parse_error& e) {
    return tl::unexpected(FromParseError(e, origin_text));
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInternal, fmt::format("reading profile: {}", e.what()),
                     origin_text);
  }
#else
  toml::parse_result result = toml::parse(toml_text, origin_text);
  if (!result) return tl::unexpected(FromParseError(result.error(), origin_text));
  return Interpret(result.table(), origin_text, default_name);
#endif
}

Expected<DeviceProfile> LoadProfile(const std::filesystem::path& path) {
  MAMORI_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(path));
  MAMORI_ASSIGN_OR_RETURN(DeviceProfile profile,
                          ParseProfile(text, path.string(), path.stem().string()));
  profile.path = path;
  return profile;
}

// A directory that does not exist is skipped (the user's profiles_dir is optional); a path that
// exists but is not a directory is an error. Within one directory two files may not define the
// same name; a later directory replaces earlier profiles of the same name.
Expected<std::vector<DeviceProfile>> LoadProfiles(const std::vector<std::filesystem::path>& dirs) {
  std::map<std::string, DeviceProfile> by_name;
  for (const auto& dir : dirs) {
    std::error_code ec;
    auto status = std::filesystem::status(dir, ec);
    if (!std::filesystem::exists(status)) continue;
    if (!std::filesystem::is_directory(status)) {
      return MakeError(ErrorCode::kInvalidArgument, "profiles directory is not a directory",
                       dir.string());
    }
    std::vector<std::filesystem::path> files;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      const auto& path = it->path();
      if (path.extension() != ".toml") continue;
      std::error_code type_ec;
      if (!it->is_regular_file(type_ec)) continue;
      files.push_back(path);
    }
    if (ec) {
      return MakeError(ErrorCode::kIo, fmt::format("cannot list profiles: {}", ec.message()),
                       dir.string());
    }
    std::sort(files.begin(), files.end());
    std::map<std::string, std::filesystem::path> seen_here;
    for (const auto& file : files) {
      MAMORI_ASSIGN_OR_RETURN(DeviceProfile profile, LoadProfile(file));
      auto [it, inserted] = seen_here.emplace(profile.name, file);
      if (!inserted) {
        return MakeError(
            ErrorCode::kAlreadyExists,
            fmt::format("profile '{}' is also defined in {}", profile.name, it->second.string()),
            file.string());
      }
      by_name[profile.name] = std::move(profile);
    }
  }
  std::vector<DeviceProfile> out;
  out.reserve(by_name.size());
  for (auto& [name, profile] : by_name) out.push_back(std::move(profile));
  return out;
}

}  // namespace mamori::rse::blocklist
