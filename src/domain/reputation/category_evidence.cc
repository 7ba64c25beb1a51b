#include "domain/reputation/category_evidence.h"

#include <algorithm>

namespace mamori::domain::reputation {

CategoryEvidence CategoryEvidenceAt(const EvidenceIndex& index, std::string_view registered_domain,
                                    UnixSeconds at) {
  CategoryEvidence out;
  const DomainEvidence* d = index.Domain(index.DomainId(registered_domain));
  if (!d) return out;
  const Day day = DayOf(at);

  // Registration: the newest RDAP answer by `at`; an earlier answer with another creation date
  // ended before the current one began.
  const store::RegistrationObservation* latest = nullptr;
  for (const auto& o : d->registrations) {
    if (o.observed_at > at) break;
    latest = &o;
  }
  std::optional<UnixSeconds> previous_end;
  if (latest && latest->created > 0) {
    for (const auto& o : d->registrations) {
      if (&o == latest) break;
      if (o.created > 0 && o.created < latest->created) {
        const UnixSeconds end = o.expires > 0 ? std::min(o.expires, latest->created) : latest->created;
        previous_end = std::max(previous_end.value_or(0), end);
      }
    }
  }
  // Zone presence: a gap before the current run is a lapse, whatever RDAP said.
  std::vector<DayRun> runs;
  for (const DayRun& r : d->zone) {
    if (r.first_day <= day) runs.push_back({r.first_day, std::min(r.last_day, day)});
  }
  std::optional<UnixSeconds> zone_created;
  if (runs.size() >= 2) {
    const UnixSeconds gap_end = StartOf(runs[runs.size() - 2].last_day + 1);
    previous_end = std::max(previous_end.value_or(0), gap_end);
    zone_created = StartOf(runs.back().first_day);
  }
  if (latest || zone_created) {
    RegistrationEvidence reg;
    if (latest && latest->created > 0) reg.created = latest->created;
    if (zone_created && (!reg.created || *reg.created < *zone_created)) reg.created = zone_created;
    reg.previous_registration_ended = previous_end;
    if (latest) {
      reg.registrar = latest->registrar;
      reg.abuse_contact = latest->abuse_email;
    }
    out.registration = std::move(reg);
  }

  DnsEvidence dns;
  for (const auto& [target, first_seen] : d->cname_targets) {
    if (first_seen <= at) dns.cname_chain.push_back(target);
  }
  if (!dns.cname_chain.empty()) out.dns = std::move(dns);
  return out;
}

}  // namespace mamori::domain::reputation
