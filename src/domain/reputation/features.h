// Reputation features of a domain at a prediction date T (docs/domain-reputation.md gives each
// one's rationale). Four groups:
//  - lexical: the DGA model's character features of the registrable label plus the name's depth
//    and length, and the TLD's prior (share of its domains already known malicious at T, from the
//    index) — the only evidence a never-seen name has;
//  - lifecycle: popularity-list presence and rank trend, zone presence gaps (expired, then
//    re-registered), registration data (age, term, registrar and creation-date changes), and
//    blocklist history;
//  - company: what share of the domains of its registrar, and of its name servers' domain,
//    were already known malicious at T;
//  - infrastructure: the addresses the registered domain and the name resolved to, their /24s,
//    ASNs and countries, how many of them domains already known to be malicious had used, how
//    densely shared they are, and how fast they change;
//  - cohort: how many other domains started on the same address or name-server domain within a
//    week of it, and how far above that server's usual pace (bulk registrations of a campaign or
//    a DGA burst arrive together; PREDATOR, CCS 2016, uses the same batch signal).
// Only evidence that starts at or before T is read, and intervals are clipped at T, so a score at
// T is what could have been computed on day T (the no-leakage test in features_test.cc checks
// this against an index built from records truncated at T). Missing evidence is NaN, which the
// trees route on their own learned branch — "no zone data" is not the same as "not in the zone".
// The order of kFeatureNames is the model's column order; a model file lists the names it was
// trained with and is refused when they differ (model.h).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "domain/dga/features.h"
#include "domain/reputation/evidence_index.h"

namespace mamori::domain::reputation {

inline constexpr std::array<std::string_view, 60> kFeatureNames = {
    // name (0..20): the DGA model's lexical features, depth, length, and the TLD's prior
    "lex_length", "lex_entropy", "lex_digit_ratio", "lex_vowel_ratio", "lex_consonant_ratio",
    "lex_max_consonant_run", "lex_max_digit_run", "lex_hyphens", "lex_unique_ratio",
    "lex_char_class_switches", "lex_bigram_loglik", "lex_trigram_loglik", "lex_trigram_unseen",
    "lex_word_coverage", "lex_word_count", "lex_longest_word", "lex_hex_only", "lex_tld_length",
    "name_depth", "name_length", "lex_tld_prior",
    // popularity lists
    "pop_present", "pop_rank_band", "pop_band_change_30d", "pop_days_listed_90d",
    "pop_days_since_first", "pop_days_since_gone",
    // zone presence
    "zone_present", "zone_days_registered", "zone_gaps", "zone_last_gap_days",
    "zone_days_since_return",
    // registration data
    "rdap_age_days", "rdap_days_to_expiry", "rdap_term_days", "rdap_registrars",
    "rdap_days_since_recreation", "rdap_days_since_registrar_change",
    // blocklists
    "bl_listed_now", "bl_days_since_first_listing", "bl_sources_ever",
    // passive DNS of the registered domain
    "dns_days_known", "dns_names", "dns_addresses", "dns_prefixes", "dns_asns", "dns_countries",
    "dns_bad_address_share", "dns_bad_prefix_share", "dns_bad_asn_share",
    "dns_sharing_median", "dns_new_addresses_7d", "name_addresses",
    // company it keeps
    "registrar_bad_share", "nameserver_bad_share",
    // how bad its addresses' and ASNs' other users were
    "dns_address_bad_density", "dns_asn_bad_density",
    // cohort: arrived together with others
    "dns_cohort_7d", "ns_cohort_7d", "ns_cohort_burst",
};
inline constexpr size_t kFeatureCount = kFeatureNames.size();
// The name-only features (everything a never-seen name has): the first kLexicalFeatureCount.
inline constexpr size_t kLexicalFeatureCount = 21;
using FeatureVector = std::array<float, kFeatureCount>;

// Column of a feature name (for reasons and tests); kFeatureCount when unknown.
size_t FeatureIndex(std::string_view name);

// A name to score, normalized: lower case, no trailing dot, IDN in A-label form.
struct ScoreTarget {
  std::string name;        // the FQDN as given (normalized)
  std::string registered;  // its registrable domain (PSL, private section included)
  dga::LabelParts label;   // the registrable label and suffix (lexical features)
};

// Errors (kInvalidArgument) say why: not a domain name, an IP address, a bare public suffix.
Expected<ScoreTarget> ParseScoreTarget(std::string_view text);

struct FeatureResult {
  FeatureVector values;
  bool has_history = false;  // any evidence at or before T besides the name itself
};

// Borrows the index and language model (they must outlive it); immutable, thread-safe.
class FeatureExtractor {
 public:
  // `index` may be null: lexical features only, everything else NaN.
  FeatureExtractor(const EvidenceIndex* index, const dga::NgramModel& ngrams,
                   const dga::Lexicon& lexicon)
      : index_(index), lexical_(ngrams, lexicon) {}

  FeatureResult Extract(const ScoreTarget& target, UnixSeconds at) const;

 private:
  const EvidenceIndex* index_;
  dga::FeatureExtractor lexical_;
};

}  // namespace mamori::domain::reputation
