// The world model of `mamori sim domains`; see world.h and docs/domain-sim.md for every
// assumption. Numbers below are model parameters, chosen to look like the literature's accounts
// (DomainProfiler, DSN 2016; Lever et al., "Domain-Z", S&P 2016; fast-flux and DGA studies), not
// measured from data.
#include "domain/sim/world.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_set>

#include "domain/sim/names.h"
#include "domain/sim/random.h"

namespace mamori::domain::sim {

const std::array<KindInfo, kKindCount>& Kinds() {
  static const std::array<KindInfo, kKindCount> kinds = {{
      {Kind::kPopular, "popular", false, 0.05},
      {Kind::kStable, "stable", false, 0.29},
      {Kind::kNew, "new", false, 0.25},
      {Kind::kRandomLooking, "random-looking", false, 0.03},
      {Kind::kDropCatch, "dropcatch", false, 0.03},
      {Kind::kMovedShared, "moved-shared", false, 0.04},
      {Kind::kDga, "dga", true, 0.12},
      {Kind::kReregistered, "reregistered", true, 0.04},
      {Kind::kAttacker, "attacker", true, 0.08},
      {Kind::kFastFlux, "fast-flux", true, 0.02},
      {Kind::kCompromised, "compromised", true, 0.05},
  }};
  return kinds;
}

const KindInfo& InfoOf(Kind kind) { return Kinds()[static_cast<size_t>(kind)]; }

std::string_view AsnKindName(AsnKind kind) {
  switch (kind) {
    case AsnKind::kCloud: return "cloud";
    case AsnKind::kShared: return "shared";
    case AsnKind::kParking: return "parking";
    case AsnKind::kBulletproof: return "bulletproof";
    case AsnKind::kResidential: return "residential";
  }
  return "?";
}

const Registration* Domain::RegistrationOn(int day) const {
  for (const Registration& r : regs) {
    if (r.created <= day && day < r.deleted) return &r;
  }
  return nullptr;
}

bool Domain::InZone(int day) const {
  for (const Registration& r : regs) {
    if (r.zone_from <= day && day <= r.zone_to) return true;
  }
  return false;
}

const Registration* Domain::LatestRegistration(int day) const {
  const Registration* out = nullptr;
  for (const Registration& r : regs) {
    if (r.created <= day) out = &r;
  }
  return out;
}

const Asn* World::AsnOf(uint32_t ip) const {
  auto it = std::upper_bound(asns.begin(), asns.end(), ip,
                             [](uint32_t v, const Asn& a) { return v < a.first_ip; });
  if (it == asns.begin()) return nullptr;
  --it;
  return ip <= it->last_ip ? &*it : nullptr;
}

std::array<double, kKindCount> EffectiveMix(const WorldConfig& config) {
  std::array<double, kKindCount> mix = config.mix;
  double total = 0;
  for (double s : mix) total += s;
  if (total <= 0) {
    for (int i = 0; i < kKindCount; ++i) mix[i] = Kinds()[i].default_share;
    total = 0;
    for (double s : mix) total += s;
  }
  for (double& s : mix) s /= total;
  return mix;
}

Status ApplyMix(std::string_view text, WorldConfig& config) {
  std::array<double, kKindCount> mix = EffectiveMix(config);
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    size_t colon = item.find(':');
    if (colon == std::string_view::npos) {
      return MakeError(ErrorCode::kInvalidArgument, "expected kind:share", std::string(item));
    }
    std::string_view name = item.substr(0, colon);
    std::string value(item.substr(colon + 1));
    auto it = std::find_if(Kinds().begin(), Kinds().end(),
                           [&](const KindInfo& k) { return k.name == name; });
    if (it == Kinds().end()) {
      std::string known;
      for (const KindInfo& k : Kinds()) known += (known.empty() ? "" : ", ") + std::string(k.name);
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("unknown kind '{}' (kinds: {})", name, known),
                       std::string(item));
    }
    char* end = nullptr;
    double share = std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0' || !(share >= 0) || share > 1e6) {
      return MakeError(ErrorCode::kInvalidArgument, "share must be a non-negative number",
                       std::string(item));
    }
    mix[it - Kinds().begin()] = share;
  }
  double total = 0;
  for (double s : mix) total += s;
  if (total <= 0) return MakeError(ErrorCode::kInvalidArgument, "all shares are zero", "--mix");
  for (double& s : mix) s /= total;
  config.mix = mix;
  return Ok();
}

// --- Calendar -------------------------------------------------------------------------------

namespace {
// Howard Hinnant's days_from_civil / civil_from_days.
int DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}
}  // namespace

Expected<int> ParseDate(std::string_view s) {
  auto bad = [&] {
    return MakeError(ErrorCode::kInvalidArgument, "expected a date YYYY-MM-DD", std::string(s));
  };
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return bad();
  auto num = [&](size_t pos, size_t n, int& out) {
    out = 0;
    for (size_t i = pos; i < pos + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  int y, m, d;
  if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d) || m < 1 || m > 12 || d < 1) return bad();
  int days = DaysFromCivil(y, m, d);
  if (FormatDate(days) != s) return bad();  // rejects 2025-02-30
  return days;
}

std::string FormatDate(int z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp + (mp < 10 ? 3 : -9);
  return fmt::format("{:04d}-{:02d}-{:02d}", y + (m <= 2), m, d);
}

std::string FormatIp(uint32_t ip) {
  return fmt::format("{}.{}.{}.{}", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
}

// --- The builder ------------------------------------------------------------------------------

namespace {

constexpr std::string_view kTlds[] = {"com", "net", "org",    "info", "biz",
                                      "xyz", "top", "online", "site", "shop"};
// Where benign and malicious registrations land (cheap new gTLDs are over-represented among
// abuse, as every registry abuse report shows).
const std::vector<double> kBenignTldWeights = {55, 10, 10, 3, 1, 4, 1, 4, 3, 4};
const std::vector<double> kMaliciousTldWeights = {25, 6, 3, 8, 4, 14, 14, 10, 8, 8};

constexpr int kMainstreamRegistrars = 6;  // 0..5
constexpr int kDropCatchRegistrars[] = {6, 7};
constexpr int kCheapRegistrars[] = {8, 9, 10, 11};

struct Host {
  std::vector<uint32_t> ips;
  int ns_set = 0;
};

class Builder {
 public:
  Builder(const WorldConfig& config, World& world)
      : c_(config), w_(world), days_(config.days) {}

  void Run() {
    w_.config = c_;
    for (auto t : kTlds) w_.tlds.emplace_back(t);
    w_.benign_label_days = std::min(90, std::max(7, days_ / 3));
    MakeAsns();
    MakeRegistrars();
    MakeFeeds();
    MakeDomains();
    MakeListings();
    Suspend();
    Finish();
  }

 private:
  // ---- hosting ----
  void MakeAsns() {
    Rng rng(c_.seed, "asns");
    struct Plan {
      AsnKind kind;
      int size_log2;
      int servers;
    };
    std::vector<Plan> plans;
    for (int i = 0; i < 6; ++i) plans.push_back({AsnKind::kCloud, 14, 0});
    for (int i = 0; i < 16; ++i) plans.push_back({AsnKind::kShared, 10, 12});
    plans.push_back({AsnKind::kParking, 8, 4});
    for (int i = 0; i < 4; ++i) plans.push_back({AsnKind::kBulletproof, 9, 6});
    for (int i = 0; i < 24; ++i) plans.push_back({AsnKind::kResidential, 16, 0});
    // Interleave the kinds over the address space like real allocations.
    for (size_t i = plans.size(); i > 1; --i) std::swap(plans[i - 1], plans[rng.Below(i)]);
    const std::vector<std::string> cloud_cc = {"US", "US", "DE", "IE", "NL", "JP", "SG", "GB"};
    const std::vector<std::string> shared_cc = {"US", "DE", "FR", "GB", "PL",
                                                "NL", "CA", "ES", "IT", "SE"};
    const std::vector<std::string> bp_cc = {"RU", "NL", "MD", "SC", "UA", "BZ"};
    const std::vector<std::string> res_cc = {"BR", "IN", "VN", "US", "RU", "CN", "TR", "ID",
                                             "MX", "PK", "EG", "TH", "AR", "IR", "PH", "CO",
                                             "UA", "KR", "IT", "PL", "NG", "ZA", "MA", "DZ"};
    uint64_t cursor = 0x05000000;  // 5.0.0.0
    int n_cloud = 0, n_shared = 0, n_bp = 0, n_res = 0;
    for (size_t i = 0; i < plans.size(); ++i) {
      const Plan& p = plans[i];
      uint64_t size = uint64_t{1} << p.size_log2;
      cursor += uint64_t{256} * rng.Between(0, 64);  // an unrouted gap, sometimes none
      cursor = (cursor + size - 1) / size * size;
      Asn a;
      a.number = 64512 + static_cast<uint32_t>(i) * 17 + rng.Between(0, 16);
      a.kind = p.kind;
      a.first_ip = static_cast<uint32_t>(cursor);
      a.last_ip = static_cast<uint32_t>(cursor + size - 1);
      switch (p.kind) {
        case AsnKind::kCloud:
          ++n_cloud;
          a.country = rng.Pick(cloud_cc);
          a.description = fmt::format("SIMCLOUD-{} Sim Cloud {} Inc.", n_cloud, n_cloud);
          break;
        case AsnKind::kShared:
          ++n_shared;
          a.country = rng.Pick(shared_cc);
          a.description = fmt::format("SIMHOST-{} Sim Shared Hosting {}", n_shared, n_shared);
          break;
        case AsnKind::kParking:
          a.country = "US";
          a.description = "SIMPARK Sim Parking Services";
          break;
        case AsnKind::kBulletproof:
          ++n_bp;
          a.country = rng.Pick(bp_cc);
          a.description = fmt::format("SIMBP-{} Sim Offshore Hosting {} Ltd", n_bp, n_bp);
          break;
        case AsnKind::kResidential:
          ++n_res;
          a.country = res_cc[(n_res - 1) % res_cc.size()];
          a.description = fmt::format("SIMISP-{} Sim Broadband {}", n_res, n_res);
          break;
      }
      for (int s = 0; s < p.servers; ++s) {
        uint32_t ip;
        do ip = a.first_ip + 1 + static_cast<uint32_t>(rng.Below(size - 2));
        while (std::find(a.servers.begin(), a.servers.end(), ip) != a.servers.end());
        a.servers.push_back(ip);
      }
      cursor += size;
      w_.asns.push_back(std::move(a));
    }
    // Nameserver sets: one per hosting provider, plus a free DNS service attackers like.
    for (size_t i = 0; i < w_.asns.size(); ++i) {
      const Asn& a = w_.asns[i];
      std::string zone;
      switch (a.kind) {
        case AsnKind::kCloud: zone = fmt::format("simcloud{}-dns.net", cloud_.size() + 1); break;
        case AsnKind::kShared: zone = fmt::format("simhost{}.net", shared_.size() + 1); break;
        case AsnKind::kParking: zone = "simpark.net"; break;
        case AsnKind::kBulletproof: zone = fmt::format("simbp{}.su", bp_.size() + 1); break;
        case AsnKind::kResidential: break;
      }
      int ns = -1;
      if (!zone.empty()) {
        ns = static_cast<int>(w_.ns_sets.size());
        w_.ns_sets.push_back({"ns1." + zone, "ns2." + zone});
      }
      asn_ns_.push_back(ns);
      switch (a.kind) {
        case AsnKind::kCloud: cloud_.push_back(i); break;
        case AsnKind::kShared: shared_.push_back(i); break;
        case AsnKind::kParking: parking_ = i; break;
        case AsnKind::kBulletproof: bp_.push_back(i); break;
        case AsnKind::kResidential: residential_.push_back(i); break;
      }
    }
    free_dns_ = static_cast<int>(w_.ns_sets.size());
    w_.ns_sets.push_back({"ns1.freedns-sim.org", "ns2.freedns-sim.org"});
    // Tainted shared servers: the first two servers of a third of the shared providers also
    // carry attacker sites (a compromised or careless reseller).
    for (size_t i = 0; i < shared_.size(); i += 3) {
      const Asn& a = w_.asns[shared_[i]];
      tainted_.push_back(Host{{a.servers[0]}, asn_ns_[shared_[i]]});
      tainted_.push_back(Host{{a.servers[1]}, asn_ns_[shared_[i]]});
    }
  }

  uint32_t RandomIpIn(Rng& rng, const Asn& a) {
    return a.first_ip + 1 + static_cast<uint32_t>(rng.Below(a.last_ip - a.first_ip - 1));
  }
  Host Cloud(Rng& rng, int n) {
    size_t i = cloud_[rng.Below(cloud_.size())];
    Host h{{}, asn_ns_[i]};
    for (int k = 0; k < n; ++k) h.ips.push_back(RandomIpIn(rng, w_.asns[i]));
    return h;
  }
  Host Shared(Rng& rng) {
    size_t i = shared_[rng.Below(shared_.size())];
    const Asn& a = w_.asns[i];
    // Skip the tainted servers for ordinary benign sites (they get there only by moving).
    return {{a.servers[rng.Between(2, static_cast<int>(a.servers.size()) - 1)]}, asn_ns_[i]};
  }
  Host Parking(Rng& rng) {
    const Asn& a = w_.asns[parking_];
    return {{rng.Pick(a.servers)}, asn_ns_[parking_]};
  }
  Host Tainted(Rng& rng) { return tainted_[rng.Below(tainted_.size())]; }
  // Bulletproof: mostly the provider's hot IPs, which successive campaigns come back to.
  Host Bulletproof(Rng& rng, int n) {
    size_t i = bp_[rng.Below(bp_.size())];
    const Asn& a = w_.asns[i];
    Host h{{}, asn_ns_[i]};
    for (int k = 0; k < n; ++k) {
      h.ips.push_back(rng.Chance(0.75) ? rng.Pick(a.servers) : RandomIpIn(rng, a));
    }
    return h;
  }
  uint32_t Residential(Rng& rng) {
    return RandomIpIn(rng, w_.asns[residential_[rng.Below(residential_.size())]]);
  }
  Host BenignSite(Rng& rng) {
    return rng.Chance(0.6) ? Shared(rng) : Cloud(rng, rng.Between(1, 2));
  }
  Host AttackSite(Rng& rng) {
    double r = rng.Uniform();
    if (r < 0.65) return Bulletproof(rng, rng.Between(1, 2));
    if (r < 0.8) return Tainted(rng);
    return Cloud(rng, rng.Between(1, 2));
  }

  // ---- registrars and feeds ----
  void MakeRegistrars() {
    const char* names[] = {"Bluefield Registrar LLC", "Northgate Domains Inc.",
                           "Kappa Registrar GmbH",    "Tidewater Names Ltd.",
                           "Cobalt Registry Services", "Meridian Domains Corp.",
                           "DropFast Registrar LLC",  "CatchNames Inc.",
                           "Budget Names Ltd.",       "Fastreg Domains OU",
                           "Lowcost Registrar LLC",   "Anonreg Inc."};
    for (int i = 0; i < 12; ++i) {
      Registrar r;
      r.iana_id = 8001 + i;
      r.name = names[i];
      std::string slug;
      for (char ch : r.name) {
        if (ch == ' ') break;
        slug += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      }
      r.abuse_email = "abuse@" + slug + ".example";
      r.cheap = i >= 8;
      w_.registrars.push_back(r);
    }
  }

  void MakeFeeds() {
    auto cov = [](double dga, double rereg, double attacker, double ff, double comp) {
      std::array<double, kKindCount> a{};
      a[static_cast<int>(Kind::kDga)] = dga;
      a[static_cast<int>(Kind::kReregistered)] = rereg;
      a[static_cast<int>(Kind::kAttacker)] = attacker;
      a[static_cast<int>(Kind::kFastFlux)] = ff;
      a[static_cast<int>(Kind::kCompromised)] = comp;
      return a;
    };
    // A fast feed with middling coverage and short listings, a broad slow one that keeps entries
    // long, and a DGA specialist (reverse-engineered generators: early, but only DGA/flux).
    w_.feeds.push_back({"simfeed-fast", cov(0.4, 0.4, 0.5, 0.5, 0.3), 2, 4.0, 1.2, 90, 14, 60,
                        0.002});
    w_.feeds.push_back({"simfeed-broad", cov(0.35, 0.5, 0.6, 0.45, 0.45), 5, 15.0, 1.1, 180, 60,
                        365, 0.004});
    w_.feeds.push_back({"simfeed-dga", cov(0.7, 0.0, 0.05, 0.25, 0.0), 1, 3.0, 1.3, 60, 7, 30,
                        0.0005});
  }

  // ---- domains ----
  Domain& NewDomain(Rng& rng, Kind kind, std::string label, bool malicious_tld) {
    const auto& weights = malicious_tld ? kMaliciousTldWeights : kBenignTldWeights;
    for (int attempt = 0;; ++attempt) {
      uint8_t tld = static_cast<uint8_t>(rng.Weighted(weights));
      std::string name = label + "." + std::string(kTlds[tld]);
      if (attempt > 8) name = fmt::format("{}{}.{}", label, rng.Between(2, 9999), kTlds[tld]);
      if (used_.insert(name).second) {
        Domain d;
        d.name = std::move(name);
        d.tld = tld;
        d.kind = kind;
        d.malicious = InfoOf(kind).malicious;
        w_.domains.push_back(std::move(d));
        return w_.domains.back();
      }
    }
  }

  // A site answering on the apex and www with `host`'s IPs over [from, to].
  void AddSite(Domain& d, const Host& host, int from, int to, uint32_t ttl, bool www = true) {
    for (uint32_t ip : host.ips) {
      AddA(d, 0, from, to, ip, ttl);
      if (www) AddA(d, 1, from, to, ip, ttl);
    }
  }
  void AddA(Domain& d, uint8_t name, int from, int to, uint32_t ip, uint32_t ttl) {
    from = std::max(from, -kPdnsHistoryDays);
    to = std::min(to, days_ - 1);
    if (from > to) return;
    d.dns.push_back({name, from, to, ip, ttl});
  }

  static Registration Reg(int created, int registrar, int ns_set) {
    Registration r;
    r.created = created;
    r.zone_from = created;
    r.registrar = registrar;
    r.ns_set = ns_set;
    return r;
  }
  int Mainstream(Rng& rng) { return rng.Between(0, kMainstreamRegistrars - 1); }
  int Cheap(Rng& rng) { return kCheapRegistrars[rng.Below(std::size(kCheapRegistrars))]; }

  // An old benign site: stable hosting, sometimes one move to another ordinary host.
  void OldSite(Rng& rng, Domain& d, int created, uint32_t ttl, bool cloud, bool may_move = true) {
    Host h = cloud ? Cloud(rng, rng.Between(1, 4)) : BenignSite(rng);
    d.regs.push_back(Reg(created, Mainstream(rng), h.ns_set));
    if (may_move && rng.Chance(0.25)) {
      int move = rng.Between(1, days_ - 1);
      AddSite(d, h, created, move - 1, ttl);
      AddSite(d, cloud ? Cloud(rng, rng.Between(1, 4)) : BenignSite(rng), move, days_ - 1, ttl);
    } else {
      AddSite(d, h, created, days_ - 1, ttl);
    }
  }

  // Expiry, zone gap and re-registration days of a dropped domain: the old registration stays in
  // the zone a while after expiry (auto-renew grace), leaves it (redemption, pending delete),
  // is deleted, and is caught again at once (drop-catch) or later. Scaled down for short worlds.
  struct Drop {
    int expires, zone_to, deleted, rereg;
  };
  Drop MakeDrop(Rng& rng, bool drop_catch) {
    int grace = rng.Between(0, std::max(1, std::min(40, days_ / 8)));
    int redemption = std::max(3, std::min(35, days_ / 10));
    int wait = drop_catch ? rng.Between(0, 2) : rng.Between(5, std::max(6, std::min(150, days_ / 3)));
    int total = grace + 1 + redemption + wait;
    int latest = std::max(0, days_ - 6 - total);
    Drop p;
    p.expires = rng.Between(0, std::min(latest, std::max(1, days_ * 2 / 5)));
    p.zone_to = p.expires + grace;
    p.deleted = p.zone_to + 1 + redemption;
    p.rereg = p.deleted + wait;
    return p;
  }
  // The first registration of a dropped domain, and its hosting until it leaves the zone.
  int OldRegistrationThatDrops(Rng& rng, Domain& d, const Drop& p) {
    int created = -rng.Between(400, 5000);
    Host h = BenignSite(rng);
    Registration r = Reg(created, Mainstream(rng), h.ns_set);
    r.expires = p.expires;
    r.zone_to = p.zone_to;
    r.deleted = p.deleted;
    d.regs.push_back(r);
    AddSite(d, h, created, p.zone_to, 3600);
    if (rng.Chance(0.25)) {  // a once-popular site keeps a residual rank until it drops out
      d.pop_base = 1.0 + 2.5 * rng.Uniform();
      d.pop_from = 0;
      d.pop_to = p.zone_to;
    }
    return r.registrar;
  }

  void MakeDomains() {
    w_.domains.reserve(c_.domains);
    std::array<int, kKindCount> counts{};
    auto mix = EffectiveMix(c_);
    int assigned = 0;
    for (int i = 0; i < kKindCount; ++i) {
      counts[i] = static_cast<int>(std::floor(mix[i] * c_.domains));
      assigned += counts[i];
    }
    counts[static_cast<int>(Kind::kStable)] += c_.domains - assigned;  // rounding remainder
    if (mix[static_cast<int>(Kind::kStable)] == 0) {
      // Give the remainder to the largest kind instead when "stable" was switched off.
      int largest = static_cast<int>(std::max_element(mix.begin(), mix.end()) - mix.begin());
      counts[largest] += counts[static_cast<int>(Kind::kStable)];
      counts[static_cast<int>(Kind::kStable)] = 0;
    }
    w_.counts = counts;
    const int D = days_;
    for (int k = 0; k < kKindCount; ++k) {
      Kind kind = static_cast<Kind>(k);
      Rng rng(c_.seed, fmt::format("kind:{}", Kinds()[k].name));
      int n = counts[k];
      switch (kind) {
        case Kind::kPopular:
          for (int i = 0; i < n; ++i) {
            Domain& d = NewDomain(rng, kind, PopularLabel(rng), false);
            OldSite(rng, d, -rng.Between(400, 9000), 300, true);
            d.pop_base = 8 + 4 * rng.Uniform();
            d.pop_from = 0, d.pop_to = D - 1;
            d.queries_per_day = 2000 * std::exp(d.pop_base - 8);
          }
          break;
        case Kind::kStable:
          for (int i = 0; i < n; ++i) {
            Domain& d = NewDomain(rng, kind, BenignLabel(rng), false);
            OldSite(rng, d, -rng.Between(100, 6000), rng.Chance(0.5) ? 3600 : 14400, false);
            if (rng.Chance(0.08)) d.pop_base = 2 + 3 * rng.Uniform(), d.pop_to = D - 1;
            d.queries_per_day = 2 + 60 * rng.Uniform();
          }
          break;
        case Kind::kNew:
          for (int i = 0; i < n; ++i) {
            Domain& d = NewDomain(rng, kind, BenignLabel(rng), false);
            int created = rng.Between(0, D - 1);
            double r = rng.Uniform();
            Host h = r < 0.1 ? Parking(rng) : BenignSite(rng);
            d.regs.push_back(Reg(created, rng.Chance(0.85) ? Mainstream(rng) : Cheap(rng),
                                 h.ns_set));
            AddSite(d, h, created + rng.Between(0, 10), D - 1, 3600);
            d.queries_per_day = 1 + 20 * rng.Uniform();
            if (r >= 0.1 && rng.Chance(0.1)) {  // a riser: enters the top list and climbs
              d.pop_from = created + rng.Between(14, 60);
              d.pop_to = D - 1;
              d.pop_base = 1 + rng.Uniform();
              d.pop_slope = 0.01 + 0.05 * rng.Uniform();
              d.queries_per_day *= 10;
            }
          }
          break;
        case Kind::kRandomLooking:
          for (int i = 0; i < n; ++i) {
            Domain& d = NewDomain(rng, kind, HashLikeLabel(rng), false);
            int created = rng.Chance(0.7) ? -rng.Between(100, 3000) : rng.Between(0, D - 1);
            Host pool = Cloud(rng, 8);
            d.regs.push_back(Reg(created, Mainstream(rng), pool.ns_set));
            // CDN edges: four of the pool's addresses at a time, re-picked weekly.
            int first = std::max(created, -kPdnsHistoryDays);
            for (int week = first; week < D; week += 7) {
              for (int k2 = 0; k2 < 4; ++k2) {
                AddA(d, 0, week, week + 6, pool.ips[rng.Below(pool.ips.size())], 60);
              }
            }
            if (rng.Chance(0.5)) {
              d.pop_base = 4 + 5 * rng.Uniform();
              d.pop_from = std::max(0, created + 7), d.pop_to = D - 1;
            }
            d.queries_per_day = 100 + 5000 * rng.Uniform();
          }
          break;
        case Kind::kDropCatch:
          for (int i = 0; i < n; ++i) {
            Domain& d = NewDomain(rng, kind, BenignLabel(rng), false);
            Drop p = MakeDrop(rng, rng.Chance(0.7));
            int old_registrar = OldRegistrationThatDrops(rng, d, p);
            int registrar = rng.Chance(0.7) ? kDropCatchRegistrars[rng.Below(2)] : Mainstream(rng);
            if (registrar == old_registrar) registrar = kDropCatchRegistrars[0];
            Host h = rng.Chance(0.5) ? Parking(rng) : Shared(rng);
            d.regs.push_back(Reg(p.rereg, registrar, h.ns_set));
            AddSite(d, h, p.rereg + rng.Between(0, 5), D - 1, 3600);
            d.queries_per_day = 1 + 10 * rng.Uniform();
          }
          break;
        case Kind::kMovedShared:
          for (int i = 0; i < n; ++i) {
            Domain& d = NewDomain(rng, kind, BenignLabel(rng), false);
            int created = -rng.Between(100, 5000);
            Host h = BenignSite(rng);
            d.regs.push_back(Reg(created, Mainstream(rng), h.ns_set));
            int move = rng.Between(D / 5, std::max(D / 5, 4 * D / 5));
            AddSite(d, h, created, move - 1, 3600);
            AddSite(d, Tainted(rng), move, D - 1, 3600);
            if (rng.Chance(0.08)) d.pop_base = 2 + 3 * rng.Uniform(), d.pop_to = D - 1;
            d.queries_per_day = 2 + 60 * rng.Uniform();
          }
          break;
        case Kind::kDga: MakeDga(rng, n); break;
        case Kind::kReregistered:
          for (int i = 0; i < n; ++i) {
            Domain& d = NewDomain(rng, kind, BenignLabel(rng), false);  // the old site's name
            Drop p = MakeDrop(rng, rng.Chance(0.5));
            int old_registrar = OldRegistrationThatDrops(rng, d, p);
            int registrar = Cheap(rng);
            if (registrar == old_registrar) registrar = kCheapRegistrars[0];
            Host h = AttackSite(rng);
            Host park = Parking(rng);
            d.regs.push_back(Reg(p.rereg, registrar, rng.Chance(0.5) ? h.ns_set : free_dns_));
            d.active_from = std::min(D - 1, p.rereg + rng.Between(0, 20));
            d.active_until = d.active_from + rng.Between(5, 60);
            if (rng.Chance(0.4)) AddSite(d, park, p.rereg, d.active_from - 1, 3600);
            AddSite(d, h, d.active_from, d.active_until, 600, rng.Chance(0.5));
            d.queries_per_day = 5 + 100 * rng.Uniform();
          }
          break;
        case Kind::kAttacker: MakeAttackers(rng, n); break;
        case Kind::kFastFlux:
          for (int i = 0; i < n; ++i) {
            Domain& d =
                NewDomain(rng, kind, rng.Chance(0.5) ? AttackerLabel(rng) : DgaLabel(rng, 3, 1),
                          true);
            int created = rng.Between(-30, D - 2);
            d.active_from = std::clamp(created + rng.Between(0, 3), 0, D - 1);
            d.active_until = d.active_from + rng.Between(15, 90);
            d.regs.push_back(Reg(created, Cheap(rng), rng.Chance(0.5) ? free_dns_
                                                                         : asn_ns_[bp_[0]]));
            // A bot pool that churns: five of its members answer each day.
            std::vector<uint32_t> pool;
            for (int k2 = 0; k2 < 40; ++k2) pool.push_back(Residential(rng));
            for (int day = d.active_from; day <= std::min(d.active_until, D - 1); ++day) {
              for (int k2 = 0; k2 < 2; ++k2) pool[rng.Below(pool.size())] = Residential(rng);
              for (int k2 = 0; k2 < 5; ++k2) AddA(d, 0, day, day, rng.Pick(pool), 180);
            }
            d.queries_per_day = 50 + 1000 * rng.Uniform();
          }
          break;
        case Kind::kCompromised:
          for (int i = 0; i < n; ++i) {
            bool popular = rng.Chance(0.3);
            Domain& d =
                NewDomain(rng, kind, popular ? PopularLabel(rng) : BenignLabel(rng), false);
            // No move: the compromise changes nothing in DNS (hard by design).
            OldSite(rng, d, -rng.Between(200, 8000), popular ? 300 : 3600, popular, false);
            if (popular) {
              d.pop_base = 6 + 5 * rng.Uniform(), d.pop_to = D - 1;
              d.queries_per_day = 2000 * std::exp(d.pop_base - 8);
            } else {
              if (rng.Chance(0.1)) d.pop_base = 2 + 3 * rng.Uniform(), d.pop_to = D - 1;
              d.queries_per_day = 2 + 60 * rng.Uniform();
            }
            d.active_from = rng.Between(0, D - 1);
            d.active_until = d.active_from + rng.Between(3, 45);
          }
          break;
      }
    }
  }

  void MakeDga(Rng& rng, int n) {
    if (n == 0) return;
    const int D = days_;
    int families = std::max(1, n / 80);
    for (int f = 0; f < families; ++f) {
      DgaFamily fam;
      fam.name = fmt::format("simdga-{}", f + 1);
      fam.scheme = static_cast<int>(rng.Weighted({1, 1, 0.6, 0.8, 0.3}));
      int ntlds = rng.Between(1, 3);
      for (int t = 0; t < ntlds; ++t) {
        fam.tlds.push_back(static_cast<uint8_t>(rng.Weighted(kMaliciousTldWeights)));
      }
      fam.residential = rng.Chance(0.35);
      w_.families.push_back(fam);
    }
    std::vector<int> length_bias(families);
    std::vector<Host> pools(families);
    std::vector<int> registrar(families);
    for (int f = 0; f < families; ++f) {
      length_bias[f] = rng.Between(0, 3);
      pools[f] = Bulletproof(rng, rng.Between(3, 6));
      registrar[f] = Cheap(rng);
    }
    // Domains are dealt to families round-robin, then each family registers its share in bursts.
    std::vector<std::vector<int>> members(families);
    for (int i = 0; i < n; ++i) members[i % families].push_back(i);
    for (int f = 0; f < families; ++f) {
      DgaFamily& fam = w_.families[f];
      size_t next = 0;
      while (next < members[f].size()) {
        size_t size = std::min<size_t>(rng.Between(8, 40), members[f].size() - next);
        int b = rng.Between(0, std::max(0, D - 3));
        DgaFamily::Burst burst{b, std::min(b + 2, D - 1)};
        fam.bursts.push_back(burst);
        // Most bursts come back to the family's bulletproof addresses; some move on.
        Host h = rng.Chance(0.8) ? pools[f] : Bulletproof(rng, 2);
        for (size_t m = 0; m < size; ++m, ++next) {
          std::string label = DgaLabel(rng, fam.scheme, length_bias[f]);
          Domain& d = NewDomainInTld(rng, Kind::kDga, label, fam.tlds);
          d.group = f;
          int created = rng.Between(burst.from, burst.to);
          d.regs.push_back(Reg(created, rng.Chance(0.8) ? registrar[f] : Cheap(rng),
                               rng.Chance(0.6) ? h.ns_set : free_dns_));
          d.active_from = created;
          d.active_until = created + rng.Between(1, 10);
          if (fam.residential) {
            for (int day = created; day <= std::min(d.active_until, D - 1); ++day) {
              for (int k2 = rng.Between(2, 4); k2 > 0; --k2) {
                AddA(d, 0, day, day, Residential(rng), 300);
              }
            }
          } else {
            for (uint32_t ip : h.ips) {
              if (rng.Chance(0.6) || ip == h.ips[0]) AddA(d, 0, created, d.active_until, ip, 300);
            }
          }
          d.queries_per_day = 20 + 400 * rng.Uniform();
          if (rng.Chance(0.01)) {  // a busy C2 name can enter a top list for a while
            d.pop_base = 2 + rng.Uniform();
            d.pop_from = d.active_from, d.pop_to = d.active_until;
          }
        }
      }
    }
  }

  Domain& NewDomainInTld(Rng& rng, Kind kind, const std::string& label,
                         const std::vector<uint8_t>& tlds) {
    for (int attempt = 0;; ++attempt) {
      uint8_t tld = tlds[rng.Below(tlds.size())];
      std::string name = attempt < 4 ? label + "." + std::string(kTlds[tld])
                                     : fmt::format("{}{}.{}", label, attempt, kTlds[tld]);
      if (used_.insert(name).second) {
        Domain d;
        d.name = std::move(name);
        d.tld = tld;
        d.kind = kind;
        d.malicious = InfoOf(kind).malicious;
        w_.domains.push_back(std::move(d));
        return w_.domains.back();
      }
    }
  }

  void MakeAttackers(Rng& rng, int n) {
    const int D = days_;
    int campaign = 0;
    for (int i = 0; i < n; ++campaign) {
      int size = std::min(rng.Between(3, 12), n - i);
      int start = rng.Between(0, D - 1);
      Host h = AttackSite(rng);
      int registrar = rng.Chance(0.75) ? Cheap(rng) : Mainstream(rng);
      int ns = rng.Chance(0.5) ? h.ns_set : free_dns_;
      for (int m = 0; m < size; ++m, ++i) {
        Domain& d = NewDomain(rng, Kind::kAttacker, AttackerLabel(rng), true);
        d.group = campaign;
        d.active_from = std::min(D - 1, start + rng.Between(0, 5));
        // Domain aging: some are registered long before use and parked meanwhile.
        bool aged = rng.Chance(0.3);
        int created = d.active_from - (aged ? rng.Between(14, 120) : rng.Between(0, 3));
        d.regs.push_back(Reg(created, registrar, ns));
        if (aged) AddSite(d, Parking(rng), created, d.active_from - 1, 3600, false);
        d.active_until = d.active_from + rng.Between(3, 60);
        AddSite(d, h, d.active_from, d.active_until, 600, rng.Chance(0.5));
        d.queries_per_day = 5 + 200 * rng.Uniform();
      }
    }
  }

  // ---- feeds ----
  void MakeListings() {
    Rng rng(c_.seed, "listings");
    const int D = days_;
    for (Domain& d : w_.domains) {
      int k = static_cast<int>(d.kind);
      for (int f = 0; f < static_cast<int>(w_.feeds.size()); ++f) {
        const Feed& feed = w_.feeds[f];
        int from, to;
        if (d.malicious) {
          if (!rng.Chance(feed.coverage[k])) continue;
          int lag = rng.HeavyTail(feed.lag_min, feed.lag_scale, feed.lag_alpha, feed.lag_cap);
          from = d.active_from + lag;
          to = from + rng.Between(feed.keep_min, feed.keep_max) - 1;
        } else {
          // Feed noise: random-looking and freshly re-registered names are wrongly listed more.
          double weight = d.kind == Kind::kRandomLooking ? 8
                          : d.kind == Kind::kDropCatch   ? 3
                          : d.kind == Kind::kNew         ? 1.5
                                                         : 1;
          if (!rng.Chance(feed.false_positive_rate * weight)) continue;
          from = rng.Between(0, D - 1);
          to = from + rng.Between(1, 7) - 1;
        }
        if (from > D - 1) continue;  // would be listed after the period: not observed
        d.listings.push_back({f, from, to});
        if (d.first_listed == kNoDay || from < d.first_listed) {
          d.first_listed = from;
          d.first_feed = f;
        }
      }
    }
  }

  // Registrars take many listed malicious domains out of the zone (clientHold) days after the
  // listing; they then stop resolving.
  void Suspend() {
    Rng rng(c_.seed, "suspend");
    for (Domain& d : w_.domains) {
      if (!d.malicious || d.kind == Kind::kCompromised || d.first_listed == kNoDay) continue;
      if (!rng.Chance(0.4)) continue;
      Registration& r = d.regs.back();
      int last = d.first_listed + rng.Between(1, 14);
      if (last >= r.zone_to || last < r.zone_from) continue;
      r.zone_to = last;
      r.suspended = true;
      std::vector<DnsSegment> kept;
      for (DnsSegment s : d.dns) {
        if (s.from > last) continue;
        s.to = std::min(s.to, last);
        kept.push_back(s);
      }
      d.dns = std::move(kept);
      d.pop_to = std::min(d.pop_to, last);
    }
  }

  void Finish() {
    for (Domain& d : w_.domains) {
      // Merge runs of the same (name, ip) into contiguous periods: one DNSDB line each.
      std::sort(d.dns.begin(), d.dns.end(), [](const DnsSegment& a, const DnsSegment& b) {
        return std::tie(a.name, a.ip, a.from) < std::tie(b.name, b.ip, b.from);
      });
      std::vector<DnsSegment> merged;
      for (const DnsSegment& s : d.dns) {
        if (!merged.empty() && merged.back().name == s.name && merged.back().ip == s.ip &&
            s.from <= merged.back().to + 1) {
          merged.back().to = std::max(merged.back().to, s.to);
        } else {
          merged.push_back(s);
        }
      }
      std::sort(merged.begin(), merged.end(), [](const DnsSegment& a, const DnsSegment& b) {
        return std::tie(a.from, a.name, a.ip) < std::tie(b.from, b.name, b.ip);
      });
      d.dns = std::move(merged);
    }
    std::sort(w_.domains.begin(), w_.domains.end(),
              [](const Domain& a, const Domain& b) { return a.name < b.name; });
  }

  const WorldConfig& c_;
  World& w_;
  int days_;
  std::unordered_set<std::string> used_;
  std::vector<int> asn_ns_;
  std::vector<size_t> cloud_, shared_, bp_, residential_;
  size_t parking_ = 0;
  int free_dns_ = 0;
  std::vector<Host> tainted_;
};

}  // namespace

Expected<World> BuildWorld(const WorldConfig& config) {
  if (config.domains < 50 || config.domains > 5'000'000) {
    return MakeError(ErrorCode::kInvalidArgument, "must be between 50 and 5,000,000",
                     "--domains");
  }
  if (config.days < 14 || config.days > 3660) {
    return MakeError(ErrorCode::kInvalidArgument, "must be between 14 and 3660", "--days");
  }
  if (config.zeek_days < 0 || config.zeek_days > config.days) {
    return MakeError(ErrorCode::kInvalidArgument, "must be between 0 and --days", "--zeek-days");
  }
  World world;
  Builder(config, world).Run();
  return world;
}

}  // namespace mamori::domain::sim
