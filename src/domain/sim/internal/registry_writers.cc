// Writers of the lifecycle side of the domain world: daily zone lists, RDAP observations, daily
// top lists, blocklist snapshots, truth.csv and labels.csv (layout: docs/domain-sim.md).
#include <algorithm>

#include "domain/sim/internal/output.h"
#include "domain/sim/random.h"

namespace mamori::domain::sim::internal {

namespace {

// A stable pseudo-random number from a few integers (for per-record details such as the time
// of day, so that they do not depend on the order records are written in).
uint64_t Hash(uint64_t seed, uint64_t a, uint64_t b = 0, uint64_t c = 0) {
  return Mix64(Mix64(Mix64(seed ^ a) ^ b) ^ c);
}

std::string Timestamp(const World& world, int day, uint64_t h) {
  int seconds = static_cast<int>(h % 86400);
  return fmt::format("{}T{:02d}:{:02d}:{:02d}Z", DayDate(world, day), seconds / 3600,
                     seconds / 60 % 60, seconds % 60);
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Next anniversary of `created` after `day` (yearly auto-renewal; 365.25-day years).
int NextAnniversary(int created, int day) {
  int years = std::max(1, static_cast<int>((day - created) / 365.25) + 1);
  return created + static_cast<int>(years * 365.25);
}

// One RDAP domain object as a JSON line. Written with fmt rather than built as a JSON tree: every
// value is an LDH name, a date, a number or a fixed string without characters JSON escapes, and
// the tree took most of the writing time.
void WriteRdapObject(const World& world, size_t index, const Registration& r, int day,
                     OutFile& out) {
  const Domain& d = world.domains[index];
  const Registrar& reg = world.registrars[r.registrar];
  uint64_t h = Hash(world.config.seed, index, static_cast<uint64_t>(r.created));
  std::string_view status;
  if (r.suspended && day > r.zone_to) {
    status = R"("client hold")";
  } else if (r.expires != kForever && day > r.expires) {
    status = day <= r.zone_to       ? R"("auto renew period")"
             : day >= r.deleted - 5 ? R"("pending delete")"
                                    : R"("redemption period")";
  } else if (reg.cheap) {
    status = R"("client transfer prohibited")";
  } else {
    status = R"("client delete prohibited","client transfer prohibited","client update prohibited")";
  }
  int expiration = r.expires != kForever ? r.expires : NextAnniversary(r.created, day);
  int last_changed = std::clamp(expiration - 365, r.created, day);
  if (r.suspended && day > r.zone_to) last_changed = r.zone_to + 1;
  // "last changed" has the registration's time of day, so it never precedes it, and the crawl
  // that day comes later still.
  uint64_t floor = last_changed == day ? h % 86400 : 0;
  uint64_t crawled = floor + Hash(h, static_cast<uint64_t>(day)) % (86400 - floor);
  const auto& ns = world.ns_sets[r.ns_set];
  out.Print(
      R"({{"objectClassName":"domain","handle":"{}_DOMAIN_{}-SIM","ldhName":"{}","status":[{}],)"
      R"("events":[{{"eventAction":"registration","eventDate":"{}"}},)"
      R"({{"eventAction":"expiration","eventDate":"{}"}},)"
      R"({{"eventAction":"last changed","eventDate":"{}"}},)"
      R"({{"eventAction":"last update of RDAP database","eventDate":"{}"}}],)"
      R"("entities":[{{"objectClassName":"entity","handle":"{}","roles":["registrar"],)"
      R"("publicIds":[{{"type":"IANA Registrar ID","identifier":"{}"}}],)"
      R"("vcardArray":["vcard",[["version",{{}},"text","4.0"],["fn",{{}},"text","{}"]]],)"
      R"("entities":[{{"objectClassName":"entity","roles":["abuse"],"vcardArray":["vcard",[)"
      R"(["version",{{}},"text","4.0"],["fn",{{}},"text",""],)"
      R"(["tel",{{"type":"voice"}},"uri","tel:+1.5555550100"],["email",{{}},"text","{}"]]]}}]}}],)"
      R"("nameservers":[{{"objectClassName":"nameserver","ldhName":"{}"}},)"
      R"({{"objectClassName":"nameserver","ldhName":"{}"}}],)"
      R"("secureDNS":{{"delegationSigned":false}},)"
      R"("rdapConformance":["rdap_level_0","icann_rdap_response_profile_0"]}})"
      "\n",
      h % 10000000000ull, Upper(world.tlds[d.tld]), d.name, status,
      Timestamp(world, r.created, h), Timestamp(world, expiration, h),
      Timestamp(world, last_changed, h), Timestamp(world, day, crawled),
      reg.iana_id, reg.iana_id, reg.name, reg.abuse_email, ns[0], ns[1]);
}

}  // namespace

Status WriteZones(const World& world, OutputDir& dir, const ProgressFn& progress) {
  const int days = world.config.days;
  for (int day = 0; day < days; ++day) {
    if (progress && day % 16 == 0) progress("zones", DayDate(world, day));
    // One buffer per TLD and one write per file: millions of small stdio calls dominated.
    std::vector<std::string> text(world.tlds.size());
    for (const Domain& d : world.domains) {
      if (d.InZone(day)) {
        text[d.tld] += d.name;
        text[d.tld] += '\n';
      }
    }
    for (size_t t = 0; t < world.tlds.size(); ++t) {
      auto f = OutFile::Open(dir, fmt::format("zones/{}-{}.txt", world.tlds[t], DayDate(world, day)));
      if (!f) return tl::unexpected(f.error());
      (*f)->Write(text[t]);
      MAMORI_RETURN_IF_ERROR((*f)->Close());
    }
  }
  return Ok();
}

Status WriteRdap(const World& world, OutputDir& dir, const ProgressFn& progress) {
  const int days = world.config.days;
  // Observations per day: (domain, registration). A registration is seen when it is created and
  // when it expires (crawlers watch expiring names); a rotating 1-in-25 sample of live domains is
  // re-crawled each week, on the domain's own weekday.
  std::vector<std::vector<std::pair<uint32_t, uint8_t>>> seen(days);
  for (size_t i = 0; i < world.domains.size(); ++i) {
    const Domain& d = world.domains[i];
    for (size_t r = 0; r < d.regs.size(); ++r) {
      const Registration& reg = d.regs[r];
      if (reg.created >= 0 && reg.created < days) seen[reg.created].push_back({i, r});
      if (reg.expires != kForever && reg.expires >= 0 && reg.expires < days) {
        seen[reg.expires].push_back({i, r});
      }
    }
    for (int day = static_cast<int>(i % 7); day < days; day += 7) {
      if (Hash(world.config.seed, i, static_cast<uint64_t>(day / 7), 0x5d) % 25 != 0) continue;
      for (size_t r = 0; r < d.regs.size(); ++r) {
        if (d.regs[r].created <= day && day < d.regs[r].deleted) seen[day].push_back({i, r});
      }
    }
  }
  for (int day = 0; day < days; ++day) {
    if (progress && day % 16 == 0) progress("rdap", DayDate(world, day));
    auto& obs = seen[day];
    std::sort(obs.begin(), obs.end());
    obs.erase(std::unique(obs.begin(), obs.end()), obs.end());
    auto f = OutFile::Open(dir, fmt::format("rdap/rdap-{}.jsonl", DayDate(world, day)));
    if (!f) return tl::unexpected(f.error());
    for (auto [i, r] : obs) WriteRdapObject(world, i, world.domains[i].regs[r], day, **f);
    MAMORI_RETURN_IF_ERROR((*f)->Close());
  }
  return Ok();
}

Status WritePopularity(const World& world, OutputDir& dir, std::vector<int>& benign_label_day,
                       const ProgressFn& progress) {
  const int days = world.config.days;
  benign_label_day.assign(world.domains.size(), kNoDay);
  std::vector<int> run(world.domains.size(), 0);
  std::vector<size_t> ranked;
  for (size_t i = 0; i < world.domains.size(); ++i) {
    if (world.domains[i].pop_base >= 0) ranked.push_back(i);
  }
  std::vector<std::pair<double, uint32_t>> today;
  for (int day = 0; day < days; ++day) {
    if (progress && day % 16 == 0) progress("popularity", DayDate(world, day));
    today.clear();
    for (size_t i : ranked) {
      const Domain& d = world.domains[i];
      bool listed = d.pop_from <= day && day <= d.pop_to && d.InZone(day);
      if (!listed) {
        run[i] = 0;
        continue;
      }
      // Daily jitter, like a top list's rank churn.
      double noise =
          static_cast<double>(Hash(world.config.seed, i, static_cast<uint64_t>(day), 0x70) >> 11) *
          0x1.0p-53;
      double score = d.pop_base + d.pop_slope * (day - d.pop_from) + 0.8 * (noise - 0.5);
      today.push_back({-score, static_cast<uint32_t>(i)});
      if (++run[i] == world.benign_label_days && benign_label_day[i] == kNoDay) {
        benign_label_day[i] = day;
      }
    }
    std::sort(today.begin(), today.end());
    auto f = OutFile::Open(dir, fmt::format("popularity/simtop-{}.csv", DayDate(world, day)));
    if (!f) return tl::unexpected(f.error());
    for (size_t rank = 0; rank < today.size(); ++rank) {
      (*f)->Print("{},{}\n", rank + 1, world.domains[today[rank].second].name);
    }
    MAMORI_RETURN_IF_ERROR((*f)->Close());
  }
  return Ok();
}

Status WriteBlocklists(const World& world, OutputDir& dir, const ProgressFn& progress) {
  const int days = world.config.days;
  for (size_t f = 0; f < world.feeds.size(); ++f) {
    if (progress) progress("blocklists", world.feeds[f].name);
    std::vector<std::vector<uint32_t>> listed(days);
    for (size_t i = 0; i < world.domains.size(); ++i) {
      for (const Listing& l : world.domains[i].listings) {
        if (l.feed != static_cast<int>(f)) continue;
        for (int day = std::max(0, l.from); day <= std::min(l.to, days - 1); ++day) {
          listed[day].push_back(static_cast<uint32_t>(i));
        }
      }
    }
    const std::string& name = world.feeds[f].name;
    for (int day = 0; day < days; ++day) {
      auto out = OutFile::Open(dir, fmt::format("blocklists/{}/{}-{}.txt", name, name,
                                                DayDate(world, day)));
      if (!out) return tl::unexpected(out.error());
      // Domain indices are in name order, so each snapshot is sorted.
      for (uint32_t i : listed[day]) {
        (*out)->Write(world.domains[i].name);
        (*out)->Write("\n");
      }
      MAMORI_RETURN_IF_ERROR((*out)->Close());
    }
  }
  return Ok();
}

Status WriteTruthAndLabels(const World& world, const std::vector<int>& benign_label_day,
                           OutputDir& dir) {
  const int last = world.config.days - 1;
  auto date = [&](int day) { return day == kNoDay ? std::string() : DayDate(world, day); };
  auto truth = OutFile::Open(dir, "truth.csv");
  if (!truth) return tl::unexpected(truth.error());
  auto labels = OutFile::Open(dir, "labels.csv");
  if (!labels) return tl::unexpected(labels.error());
  (*truth)->Write("domain,kind,malicious,registered_day,active_from,first_listed\n");
  (*labels)->Write("domain,label,date,source\n");
  for (size_t i = 0; i < world.domains.size(); ++i) {
    const Domain& d = world.domains[i];
    const Registration* reg = d.LatestRegistration(last);
    (*truth)->Print("{},{},{},{},{},{}\n", d.name, InfoOf(d.kind).name, d.malicious ? 1 : 0,
                    date(reg != nullptr ? reg->created : kNoDay), date(d.active_from),
                    date(d.first_listed));
    // What a defender knows, in date order: "benign" once a site has been in the top list long
    // enough, "malicious" from its first listing (including the feeds' false positives).
    std::vector<std::pair<int, std::string>> rows;
    if (benign_label_day[i] != kNoDay) {
      rows.push_back({benign_label_day[i], fmt::format("{},benign,{},simtop\n", d.name,
                                                       date(benign_label_day[i]))});
    }
    if (d.first_listed != kNoDay) {
      rows.push_back({d.first_listed,
                      fmt::format("{},malicious,{},{}\n", d.name, date(d.first_listed),
                                  world.feeds[d.first_feed].name)});
    }
    std::sort(rows.begin(), rows.end());
    for (const auto& row : rows) (*labels)->Write(row.second);
  }
  MAMORI_RETURN_IF_ERROR((*truth)->Close());
  return (*labels)->Close();
}

}  // namespace mamori::domain::sim::internal
