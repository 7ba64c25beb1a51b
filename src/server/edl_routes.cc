#include "server/edl_routes.h"

#include <fmt/format.h>
#include <httplib.h>
#include <openssl/crypto.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

namespace mamori::server {

namespace {

using nlohmann::json;
using rse::blocklist::DeliveryAuth;
using rse::blocklist::DeviceProfile;
using rse::blocklist::PublishedLists;

// One body for "no such profile", "not served" and "wrong extension".
constexpr std::string_view kNotFoundBody = "not found\n";
constexpr std::string_view kUnauthorizedBody = "unauthorized\n";
constexpr std::string_view kRealm = "mamori";
constexpr int kRetryAfterSeconds = 60;

struct EdlState {
  const PublishedLists* lists = nullptr;
  std::map<std::string, DeviceProfile, std::less<>> profiles;
};

bool HasAuth(const DeliveryAuth& auth) {
  return !auth.bearer_token_sha256.empty() ||
         (!auth.basic_user.empty() && !auth.basic_password_sha256.empty());
}

bool EqualConstantTime(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c + 'a' - 'A') : c; };
           return lower(x) == lower(y);
         });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Standard base64 (RFC 4648 section 4) with optional padding; nullopt when malformed.
std::optional<std::string> Base64Decode(std::string_view in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  if (in.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(in.size() * 3 / 4);
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : in) {
    int v = value(c);
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return out;
}

void SendNotFound(httplib::Response& res) {
  res.status = 404;
  res.set_content(std::string(kNotFoundBody), "text/plain; charset=utf-8");
}

void SendUnauthorized(httplib::Response& res, const DeliveryAuth& auth) {
  res.status = 401;
  if (!auth.basic_user.empty()) {
    res.set_header("WWW-Authenticate", fmt::format("Basic realm=\"{}\", charset=\"UTF-8\"", kRealm));
  }
  if (!auth.bearer_token_sha256.empty()) {
    res.set_header("WWW-Authenticate", fmt::format("Bearer realm=\"{}\"", kRealm));
  }
  res.set_content(std::string(kUnauthorizedBody), "text/plain; charset=utf-8");
}

void HandleEdl(const EdlState& state, const httplib::Request& req, httplib::Response& res) {
  // Devices and proxies must revalidate every time; errors are not cached either.
  res.set_header("Cache-Control", "no-cache");
  const std::string file = req.matches[1].str();
  size_t dot = file.rfind('.');
  if (state.lists == nullptr || dot == std::string::npos || dot == 0) return SendNotFound(res);
  std::string_view name = std::string_view(file).substr(0, dot);
  std::string_view extension = std::string_view(file).substr(dot + 1);
  auto it = state.profiles.find(name);
  if (it == state.profiles.end()) return SendNotFound(res);
  const DeviceProfile& profile = it->second;
  std::string native = state.lists->PathFor(profile).extension().string();  // ".nft"
  bool extension_ok = extension == "txt" || (native.size() > 1 && extension == native.substr(1));
  // A profile without credentials is never served: same answer as an unknown one.
  if (!extension_ok || !HasAuth(profile.auth)) return SendNotFound(res);
  if (!CheckDeliveryAuth(profile.auth, req.get_header_value("Authorization"))) {
    return SendUnauthorized(res, profile.auth);
  }
  auto list = state.lists->Get(profile.name);
  if (!list || list->etag.empty()) {
    res.status = 503;
    res.set_header("Retry-After", std::to_string(kRetryAfterSeconds));
    res.set_content("not built yet; retry later\n", "text/plain; charset=utf-8");
    return;
  }
  res.set_header("ETag", list->etag);
  res.set_header("Last-Modified", HttpDate(list->built_at));
  if (req.has_header("If-None-Match") &&
      EtagMatches(req.get_header_value("If-None-Match"), list->etag)) {
    res.status = 304;
    return;
  }
  res.status = 200;
  res.set_content(std::move(list->content), list->content_type);
}

json TimeOrNull(UnixSeconds t) { return t > 0 ? json(FormatIso8601(t)) : json(nullptr); }

void HandleListing(const EdlState& state, httplib::Response& res) {
  json out = json::array();
  for (const auto& [name, profile] : state.profiles) {
    std::optional<rse::blocklist::PublishedList> list;
    if (state.lists != nullptr) list = state.lists->Get(name);
    bool published = list && !list->etag.empty();
    json item = {
        {"profile", name},
        {"kind", rse::blocklist::DeviceKindName(profile.kind)},
        {"served", HasAuth(profile.auth)},
        {"entries", published && list->entries >= 0 ? json(list->entries) : json(nullptr)},
        {"built_at", published ? TimeOrNull(list->built_at) : json(nullptr)},
        {"etag", published ? json(list->etag) : json(nullptr)},
        {"last_error", list ? list->last_error : std::string()},
        {"last_error_at", list ? TimeOrNull(list->last_error_at) : json(nullptr)},
    };
    out.push_back(std::move(item));
  }
  res.status = 200;
  res.set_content(out.dump(2) + "\n", "application/json");
}

}  // namespace


bool CheckDeliveryAuth(const DeliveryAuth& auth, std::string_view authorization) {
  authorization = Trim(authorization);
  size_t space = authorization.find(' ');
  if (space == std::string_view::npos) return false;
  std::string_view scheme = authorization.substr(0, space);
  std::string_view credentials = Trim(authorization.substr(space + 1));
  if (credentials.empty()) return false;
  if (IEquals(scheme, "Bearer")) {
    if (auth.bearer_token_sha256.empty()) return false;
    return EqualConstantTime(Sha256Hex(credentials), auth.bearer_token_sha256);
  }
  if (IEquals(scheme, "Basic")) {
    if (auth.basic_user.empty() || auth.basic_password_sha256.empty()) return false;
    auto decoded = Base64Decode(credentials);
    if (!decoded) return false;
    size_t colon = decoded->find(':');
    if (colon == std::string::npos) return false;
    // Compare digests so the time taken does not depend on where the user name differs.
    bool user_ok = EqualConstantTime(Sha256Hex(std::string_view(*decoded).substr(0, colon)),
                                     Sha256Hex(auth.basic_user));
    bool password_ok = EqualConstantTime(Sha256Hex(std::string_view(*decoded).substr(colon + 1)),
                                         auth.basic_password_sha256);
    return user_ok & password_ok;
  }
  return false;
}

bool EtagMatches(std::string_view if_none_match, std::string_view etag) {
  auto opaque = [](std::string_view tag) {
    if (tag.size() >= 2 && (tag[0] == 'W' || tag[0] == 'w') && tag[1] == '/') tag.remove_prefix(2);
    return tag;
  };
  std::string_view wanted = opaque(etag);
  while (!if_none_match.empty()) {
    size_t comma = if_none_match.find(',');
    std::string_view tag = Trim(if_none_match.substr(0, comma));
    if (tag == "*") return true;
    if (!tag.empty() && opaque(tag) == wanted) return true;
    if (comma == std::string_view::npos) break;
    if_none_match.remove_prefix(comma + 1);
  }
  return false;
}

std::string HttpDate(UnixSeconds t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t time = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&time, &tm);
  return fmt::format("{}, {:02d} {} {:04d} {:02d}:{:02d}:{:02d} GMT", kDays[tm.tm_wday % 7],
                     tm.tm_mday, kMonths[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                     tm.tm_sec);
}

void RegisterEdlRoutes(httplib::Server& http, const PublishedLists* lists,
                       std::vector<DeviceProfile> profiles) {
  auto state = std::make_shared<EdlState>();
  state->lists = lists;
  for (auto& p : profiles) {
    std::string name = p.name;
    state->profiles.insert_or_assign(std::move(name), std::move(p));
  }
  http.Get(R"(/edl/([^/]+))", [state](const httplib::Request& req, httplib::Response& res) {
    HandleEdl(*state, req, res);
  });
  http.Get("/api/v1/blocklists", [state](const httplib::Request&, httplib::Response& res) {
    HandleListing(*state, res);
  });
}

}  // namespace mamori::server
