// DeviceProfile: what one firewall/UTM/resolver can hold and how it wants its list.
//
// Profiles are TOML files (docs/formats/device-profile.md); mamori ships one per supported
// device under data/profiles/ with the vendor's documented limits, and users add their own in
// the directory named by `[blocklist] profiles_dir` in mamori.toml.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/indicator.h"

namespace mamori::rse::blocklist {

// The output format / device family. Names (as written in TOML) in comments.
enum class DeviceKind {
  kPaloAltoEdl,    // "paloalto-edl": PAN-OS external dynamic list, plain text
  kFortigateFeed,  // "fortigate-feed": FortiGate external threat feed, plain text
  kNftables,       // "nftables": named sets in an inet table (connector or nft script)
  kIpset,          // "ipset": `ipset restore` file
  kPf,             // "pf": pf table file (`pfctl -t T -T replace -f FILE`)
  kUnboundRpz,     // "unbound-rpz": RPZ zone file for unbound's rpz: module
  kBindRpz,        // "bind-rpz": RPZ zone file for BIND response-policy
  kHosts,          // "hosts": hosts(5) file, names mapped to 0.0.0.0
  kCsv,            // "csv": indicator,type,priority,category,sources
  kStix,           // "stix": STIX 2.1 bundle of indicator objects
};

std::string_view DeviceKindName(DeviceKind kind);
std::optional<DeviceKind> ParseDeviceKind(std::string_view name);

// How a device counts a CIDR entry against its capacity.
enum class CidrPolicy {
  kOneEntry,     // "one-entry": a CIDR is one entry (PAN, FortiGate, nftables interval sets, pf)
  kPerAddress,   // "per-address": the device expands it (counts its addresses)
  kUnsupported,  // "unsupported": only single addresses (ipset hash:ip)
};

// Capacities per indicator class; 0 means the device does not take that class.
struct Capacity {
  int64_t ip = 0;      // IPv4 + IPv6 addresses and CIDRs
  int64_t domain = 0;  // domain names
  int64_t url = 0;     // URLs
  int64_t hash = 0;    // file hashes (sha256/sha1/md5)
  int64_t total = 0;   // optional shared limit over all classes; 0 = no shared limit
};

// Access to /edl/<profile>.txt. A profile with neither a token nor basic auth is not served.
struct DeliveryAuth {
  std::string bearer_token_sha256;   // hex SHA-256 of the device's bearer token
  std::string basic_user;
  std::string basic_password_sha256;  // hex SHA-256 of the basic-auth password
};

struct DeviceProfile {
  std::string name;  // [a-z0-9._-]+, from the file name unless `name` is set
  std::string description;
  DeviceKind kind = DeviceKind::kPaloAltoEdl;
  Capacity capacity;
  CidrPolicy cidr = CidrPolicy::kOneEntry;
  bool wildcard_domains = false;  // a domain entry may block all its subdomains
  int64_t refresh_seconds = 3600;
  int min_score = 0;              // entries below this priority are never emitted
  std::vector<std::string> categories;  // only these categories; empty = all
  std::vector<std::string> sources;     // only these sources; empty = all
  // Kind-specific output settings.
  std::string nft_table = "mamori";      // nftables: inet table
  std::string set_name = "mamori_block";  // nftables/ipset/pf set or table name (v6: name + "_v6")
  std::string rpz_zone = "rpz.mamori";   // RPZ zone origin
  std::string rpz_action = "nxdomain";   // "nxdomain" | "nodata" | "drop" | "passthru" | a CNAME target
  DeliveryAuth auth;
  std::filesystem::path path;  // file it was loaded from ("" for built-ins made in code)
};

// Parses one profile from TOML text; `origin` names the input in errors ("file:line: ...").
Expected<DeviceProfile> ParseProfile(std::string_view toml_text, std::string_view origin,
                                     std::string_view default_name);
Expected<DeviceProfile> LoadProfile(const std::filesystem::path& path);
// Loads every *.toml in each directory (later directories override earlier names).
Expected<std::vector<DeviceProfile>> LoadProfiles(const std::vector<std::filesystem::path>& dirs);

}  // namespace mamori::rse::blocklist
