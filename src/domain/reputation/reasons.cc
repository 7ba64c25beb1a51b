#include "domain/reputation/reasons.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

namespace mamori::domain::reputation {

namespace {

float V(const FeatureVector& v, std::string_view name) { return v[FeatureIndex(name)]; }
long N(float x) { return std::lround(x); }
std::string Plural(long n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string DescribeName(const FeatureVector& v) {
  std::vector<std::string> parts;
  parts.push_back(fmt::format("entropy {:.2f}", V(v, "lex_entropy")));
  if (V(v, "lex_digit_ratio") > 0) parts.push_back(fmt::format("{:.0f}% digits", 100 * V(v, "lex_digit_ratio")));
  const float words = V(v, "lex_word_coverage");
  parts.push_back(words > 0 ? fmt::format("{:.0f}% dictionary words", 100 * words)
                            : std::string("no dictionary words"));
  parts.push_back(fmt::format("{:.0f}% of its trigrams unseen in popular names",
                              100 * V(v, "lex_trigram_unseen")));
  return fmt::format("the name itself ({} characters: {})", N(V(v, "lex_length")),
                     fmt::format("{}", fmt::join(parts, ", ")));
}

}  // namespace

std::string DescribeFeature(size_t feature, const FeatureVector& v) {
  const std::string_view name = kFeatureNames[feature];
  const float x = v[feature];
  const bool missing = std::isnan(x);
  if (feature < kLexicalFeatureCount) {
    if (name == "name_depth") return fmt::format("{} below its registered domain", Plural(N(x), "label", "labels"));
    if (name == "name_length") return fmt::format("a {}-character name", N(x));
    if (name == "lex_tld_prior") {
      return missing ? "no record of its top-level domain"
                     : fmt::format("about {:.0f}% of the domains seen under its top-level domain were "
                                   "already known malicious", 100 * x);
    }
    return DescribeName(v);
  }
  if (name.starts_with("pop_") && std::isnan(V(v, "pop_present"))) {
    return "no popularity-list snapshot covers that date";
  }
  if (name.starts_with("zone_") && name != "zone_last_gap_days" && name != "zone_days_since_return" &&
      name != "zone_days_registered" && missing) {
    return "no zone snapshot covers that date";
  }
  if (name.starts_with("rdap_") && std::isnan(V(v, "rdap_registrars"))) return "no registration (RDAP) data";
  if (name.starts_with("dns_") && std::isnan(V(v, "dns_addresses"))) {
    return "never seen resolving in passive DNS";
  }
  if (name == "pop_present") return x > 0 ? "in a popularity list" : "not in any popularity list";
  if (name == "pop_rank_band") {
    return x >= 21 ? "not ranked" : fmt::format("ranked about {} (rank band {})", 1L << N(x), N(x));
  }
  if (name == "pop_band_change_30d") {
    if (N(x) == 0) return "popularity rank unchanged over 30 days";
    return N(x) < 0 ? fmt::format("rose {} rank bands in 30 days", -N(x))
                    : fmt::format("fell {} rank bands in 30 days", N(x));
  }
  if (name == "pop_days_listed_90d") return fmt::format("in a popularity list on {} of the last 90 days", N(x));
  if (name == "pop_days_since_first") {
    return missing ? "never in a popularity list" : fmt::format("first in a popularity list {} days before", N(x));
  }
  if (name == "pop_days_since_gone") {
    return missing ? "never in a popularity list" : fmt::format("left the popularity lists {} days before", N(x));
  }
  if (name == "zone_present") return x > 0 ? "registered (in its zone file)" : "not in its zone file";
  if (name == "zone_days_registered") {
    return missing ? "not currently registered" : fmt::format("in its zone for {} days", N(x));
  }
  if (name == "zone_gaps") {
    return N(x) == 0 ? "never dropped out of its zone"
                     : fmt::format("dropped out of its zone {} (expired and came back)", Plural(N(x), "time", "times"));
  }
  if (name == "zone_last_gap_days") {
    return missing ? "never expired" : fmt::format("was out of its zone for {} days before coming back", N(x));
  }
  if (name == "zone_days_since_return") {
    return missing ? "never re-registered" : fmt::format("re-registered {} days before, after expiring", N(x));
  }
  if (name == "rdap_age_days") return missing ? "no creation date" : fmt::format("created {} days before", N(x));
  if (name == "rdap_days_to_expiry") return missing ? "no expiry date" : fmt::format("expires in {} days", N(x));
  if (name == "rdap_term_days") return missing ? "no registration term" : fmt::format("registered for a term of {} days", N(x));
  if (name == "rdap_registrars") return fmt::format("{} seen", Plural(N(x), "registrar", "registrars"));
  if (name == "rdap_days_since_recreation") {
    return missing ? "creation date never changed"
                   : fmt::format("its creation date changed {} days before (registered anew)", N(x));
  }
  if (name == "rdap_days_since_registrar_change") {
    return missing ? "registrar never changed" : fmt::format("changed registrar {} days before", N(x));
  }
  if (name == "bl_listed_now") {
    return N(x) == 0 ? "on no blocklist" : fmt::format("on {}", Plural(N(x), "blocklist", "blocklists"));
  }
  if (name == "bl_days_since_first_listing") {
    return missing ? "never blocklisted" : fmt::format("first blocklisted {} days before", N(x));
  }
  if (name == "bl_sources_ever") return fmt::format("listed by {} so far", Plural(N(x), "blocklist", "blocklists"));
  const long addresses = N(V(v, "dns_addresses"));
  if (name == "dns_days_known") return fmt::format("resolving for {} days", N(x));
  if (name == "dns_names") return fmt::format("{} resolving under it", Plural(N(x), "name", "names"));
  if (name == "dns_addresses") return fmt::format("resolved to {}", Plural(N(x), "address", "addresses"));
  if (name == "dns_prefixes") return fmt::format("its addresses span {}", Plural(N(x), "/24 network", "/24 networks"));
  if (name == "dns_asns") return fmt::format("its addresses span {}", Plural(N(x), "autonomous system", "autonomous systems"));
  if (name == "dns_countries") return fmt::format("its addresses are in {}", Plural(N(x), "country", "countries"));
  if (name == "dns_bad_address_share") {
    return fmt::format("{} of {} addresses it resolved to were already used by known-malicious domains",
                       std::lround(x * addresses), addresses);
  }
  if (name == "dns_bad_prefix_share") {
    return fmt::format("{:.0f}% of its /24 networks already hosted known-malicious domains", 100 * x);
  }
  if (name == "dns_bad_asn_share") {
    return missing ? "no autonomous-system data"
                   : fmt::format("{:.0f}% of its autonomous systems already hosted known-malicious domains", 100 * x);
  }
  if (name == "dns_sharing_median") return fmt::format("its addresses host a median of {} domains", N(x));
  if (name == "dns_new_addresses_7d") return fmt::format("{} in the last 7 days", Plural(N(x), "new address", "new addresses"));
  if (name == "name_addresses") {
    return missing ? "the name itself never resolved in passive DNS"
                   : fmt::format("the name itself resolved to {}", Plural(N(x), "address", "addresses"));
  }
  if (name == "dns_address_bad_density") {
    return missing ? "no other domain on its addresses"
                   : fmt::format("up to {:.0f}% of the other domains on its addresses were already known malicious", 100 * x);
  }
  if (name == "dns_asn_bad_density") {
    return missing ? "no other domain in its autonomous systems"
                   : fmt::format("up to {:.0f}% of the other domains in its autonomous systems were already known malicious", 100 * x);
  }
  if (name == "registrar_bad_share") {
    return missing ? "no registrar known"
                   : fmt::format("about {:.0f}% of its registrar's domains were already known malicious", 100 * x);
  }
  if (name == "nameserver_bad_share") {
    return missing ? "no name servers known"
                   : fmt::format("about {:.0f}% of the domains on its name servers were already known malicious", 100 * x);
  }
  return fmt::format("{} = {}", name, x);
}

std::vector<Reason> ReasonsFrom(const FeatureVector& features, const std::vector<float>& contributions,
                                bool has_history, size_t top) {
  std::vector<Reason> all;
  double lexical = 0;
  for (size_t i = 0; i < kFeatureCount && i < contributions.size(); ++i) {
    if (i < dga::kFeatureCount) {  // the DGA model's character features: one reason
      lexical += contributions[i];
      continue;
    }
    all.push_back({std::string(kFeatureNames[i]), contributions[i], DescribeFeature(i, features)});
  }
  all.push_back({"lexical", lexical, DescribeFeature(0, features)});
  // Several missing features read the same ("never seen resolving in passive DNS"): one reason.
  std::vector<Reason> merged;
  for (Reason& r : all) {
    auto same = std::find_if(merged.begin(), merged.end(),
                             [&](const Reason& m) { return m.text == r.text; });
    if (same == merged.end()) {
      merged.push_back(std::move(r));
    } else {
      same->contribution += r.contribution;
    }
  }
  all = std::move(merged);
  std::sort(all.begin(), all.end(), [](const Reason& a, const Reason& b) {
    return std::abs(a.contribution) > std::abs(b.contribution);
  });
  std::vector<Reason> out;
  if (!has_history) {
    out.push_back({"no_history", 0,
                   "no history at that date (no evidence about it or its registered domain): "
                   "scored on the name alone"});
  }
  for (Reason& r : all) {
    if (out.size() >= top) break;
    if (std::abs(r.contribution) < 1e-3) break;
    r.text = fmt::format("{} ({} the score)", r.text, r.contribution > 0 ? "raises" : "lowers");
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace mamori::domain::reputation
