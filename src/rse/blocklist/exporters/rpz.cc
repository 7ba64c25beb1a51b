// "unbound-rpz" and "bind-rpz": a DNS Response Policy Zone file (docs/formats/rpz.md), as
// draft-vixie-dnsop-dns-rpz describes and both resolvers load it.
//
// Owner names are written relative (no trailing dot), so the file works under whatever zone
// name the resolver configures; the profile's rpz_zone only bounds name lengths. A domain
// becomes a QNAME trigger (plus "*.name" when it blocks subdomains); an address or CIDR an
// rpz-ip trigger (response IP), which BIND and unbound (1.10+) both apply. URLs and hashes
// have no RPZ trigger and are skipped.
#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <vector>

#include "core/ip.h"
#include "rse/blocklist/exporters/internal/formats.h"

namespace mamori::rse::blocklist::exporters {

namespace {

constexpr size_t kMaxNameLength = 253;  // presentation form without the trailing dot

// The record data for the profile's rpz_action.
Expected<std::string> ActionTarget(const DeviceProfile& profile) {
  const std::string& action = profile.rpz_action;
  if (action == "nxdomain") return std::string(".");
  if (action == "nodata") return std::string("*.");
  if (action == "drop") return std::string("rpz-drop.");
  if (action == "passthru") return std::string("rpz-passthru.");
  if (action == "tcp-only") return std::string("rpz-tcp-only.");
  // Anything else is a local name to answer with (a walled-garden page).
  std::string_view target = action;
  if (!target.empty() && target.back() == '.') target.remove_suffix(1);
  if (!IsZoneSafeName(target)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("rpz_action '{}' is neither nxdomain, nodata, drop, passthru, "
                                 "tcp-only nor a valid domain name to rewrite to",
                                 action.substr(0, 80)),
                     profile.name);
  }
  return std::string(target) + ".";
}

// A name whose last label is an RPZ trigger label would be read as an IP or NS trigger.
bool EndsWithTriggerLabel(std::string_view name) {
  size_t dot = name.rfind('.');
  std::string_view last = dot == std::string_view::npos ? name : name.substr(dot + 1);
  return last == "rpz-ip" || last == "rpz-nsip" || last == "rpz-nsdname" || last == "rpz-client-ip";
}

}  // namespace

// "<prefix>.<address reversed>.rpz-ip": IPv4 octets reversed; IPv6 16-bit words in hex,
// reversed, with the longest run of two or more zero words (the first of equal runs, as in RFC
// 5952) written "zz" — the canonical form BIND checks names against.
std::string RpzIpTrigger(const Cidr& cidr) {
  const auto& b = cidr.network().bytes();
  if (cidr.network().is_v4()) {
    return fmt::format("{}.{}.{}.{}.{}.rpz-ip", cidr.prefix(), b[3], b[2], b[1], b[0]);
  }
  std::array<unsigned, 8> w{};
  for (int i = 0; i < 8; ++i) w[i] = (unsigned{b[2 * i]} << 8) | b[2 * i + 1];
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (w[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && w[j] == 0) ++j;
    if (j - i >= 2 && j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  std::vector<std::string> labels;  // address order
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      labels.emplace_back("zz");
      i += best_len - 1;
    } else {
      labels.push_back(fmt::format("{:x}", w[i]));
    }
  }
  std::string out = fmt::format("{}", cidr.prefix());
  for (auto it = labels.rbegin(); it != labels.rend(); ++it) {
    out += '.';
    out += *it;
  }
  out += ".rpz-ip";
  return out;
}

Expected<RenderResult> RenderRpz(const Blocklist& list, const DeviceProfile& profile) {
  std::string_view zone = profile.rpz_zone;
  if (!zone.empty() && zone.back() == '.') zone.remove_suffix(1);
  if (!IsZoneSafeName(zone)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("rpz_zone '{}' is not a valid zone name", zone.substr(0, 80)),
                     profile.name);
  }
  MAMORI_ASSIGN_OR_RETURN(std::string target, ActionTarget(profile));
  // A relative owner name plus ".<zone>" must fit in a DNS name.
  auto fits = [&](size_t relative_length) {
    return relative_length + 1 + zone.size() <= kMaxNameLength;
  };

  RenderResult result;
  std::string body;
  for (const BlocklistEntry& e : list.entries) {
    const Indicator& ind = e.indicator;
    if (!ProfileTakes(profile, e)) {
      ++result.skipped;
      continue;
    }
    if (ind.type == IndicatorType::kDomain) {
      const std::string& name = ind.value;
      if (!IsZoneSafeName(name) || EndsWithTriggerLabel(name) ||
          !fits(name.size() + (e.wildcard ? 2 : 0))) {
        ++result.skipped;
        continue;
      }
      fmt::format_to(std::back_inserter(body), "{} CNAME {}\n", name, target);
      if (e.wildcard) fmt::format_to(std::back_inserter(body), "*.{} CNAME {}\n", name, target);
      ++result.written;
    } else if (IsIpType(ind.type)) {
      auto parsed = Cidr::Parse(ind.value);
      // rpz-ip prefix lengths run from 1; a /0 trigger is refused by BIND.
      if (!parsed || parsed->cidr.prefix() == 0) {
        ++result.skipped;
        continue;
      }
      std::string trigger = RpzIpTrigger(parsed->cidr);
      if (!fits(trigger.size())) {
        ++result.skipped;
        continue;
      }
      fmt::format_to(std::back_inserter(body), "{} CNAME {}\n", trigger, target);
      ++result.written;
    } else {
      ++result.skipped;  // URLs and hashes: no RPZ trigger
    }
  }

  result.content = CommentHeader(";", list, profile, "entries", result.written);
  // The serial is the build time: it grows with every build, so secondaries transfer the new
  // zone. RFC 1982 serial arithmetic makes the 32-bit wrap in 2106 harmless.
  auto serial = static_cast<uint32_t>(list.built_at);
  fmt::format_to(std::back_inserter(result.content),
                 "; zone {}.\n"
                 "$TTL 300\n"
                 "@ IN SOA localhost. hostmaster.localhost. {} 3600 600 86400 300\n"
                 "@ IN NS localhost.\n",
                 zone, serial);
  result.content += body;
  return result;
}

}  // namespace mamori::rse::blocklist::exporters
