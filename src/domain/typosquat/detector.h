// TyposquatDetector: is a domain name a look-alike of one of our protected brands?
//
// Built once from a list of brands (registrable domains, e.g. data/brands/top-sites.txt plus the
// user's own) and the fuzzer lists; then Match() answers for any number of candidates. A match
// names the brand, the technique and the edit distance between the candidate's and the brand's
// confusable skeletons (skeleton.h). How it decides, in order (docs/domain-typosquat.md):
//   1. owner: a name under a brand's own registrable domain is never a squat;
//   2. exact: the name (or a parent of it) is one of the brands' permutations (permutations.h,
//      every dnstwist fuzzer); non-ASCII lookalikes are folded to ASCII first, which covers all
//      homoglyph mixes without storing them;
//   3. brand-as-subdomain: a brand's domain appears as labels of a longer name
//      ("paypal.com.evil.net");
//   4. skeleton: the registrable label's skeleton is within a small edit distance of a brand's
//      (0 for brands of 6 characters or fewer, 1 up to 10, 2 beyond), found through an index of
//      deletion neighbourhoods so a candidate never scans all brands;
//   5. combo-squat: a brand label joined to other words ("paypal-login", "securepaypal").
// The detector is immutable after Build(); Match() is thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain_name.h"
#include "core/error.h"
#include "domain/typosquat/permutations.h"

namespace mamori::domain {

struct TyposquatMatch {
  std::string brand;      // the protected registrable domain, e.g. "paypal.com"
  std::string technique;  // a fuzzer name, or "homoglyph+tld-swap", "edit-distance",
                          // "combo-squat", "brand-subdomain"
  int distance = 0;       // edit distance between the skeletons of the labels
};

class TyposquatDetector {
 public:
  // Errors: a brand is not a valid domain name (the error names it); no brands.
  static Expected<TyposquatDetector> Build(const std::vector<std::string>& brands,
                                           const FuzzerLists& lists);

  // nullopt when `name` is not a squat of any brand (or is a brand's own name).
  std::optional<TyposquatMatch> Match(const DomainName& name) const;
  // The same, when the caller already holds name.RegisteredDomain() ("" when it has none): the
  // categorizer computes it once per item instead of asking the PSL again.
  std::optional<TyposquatMatch> Match(const DomainName& name,
                                      std::string_view registered_domain) const;
  // Parses `text` first (any case, trailing dot, Unicode or punycode).
  Expected<std::optional<TyposquatMatch>> Match(std::string_view text) const;

  size_t brand_count() const;
  size_t indexed_permutations() const;  // size of the exact index

  TyposquatDetector(TyposquatDetector&&) noexcept;
  TyposquatDetector& operator=(TyposquatDetector&&) noexcept;
  ~TyposquatDetector();

 private:
  struct Index;
  explicit TyposquatDetector(std::unique_ptr<const Index> index);
  std::unique_ptr<const Index> index_;
};

// The largest skeleton distance accepted for a brand whose label skeleton has `length`
// characters: short names have too many real neighbours to accept any edit.
int MaxSkeletonDistance(size_t length);

}  // namespace mamori::domain
