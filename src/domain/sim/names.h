// Label makers for the domain world (domain/sim/world.h): word-based names for benign sites and
// re-used expired names, hash-like labels for CDN/tracking domains, campaign-style names for
// attacker domains, and the per-family constructions of DGA names. Words come from the shipped
// DGA word list (data/dga/words.txt), so a lexical model that knows that list has an easier time
// on benign names than it would on real ones — docs/domain-sim.md says so.
// Pure functions of the Rng; not thread-safe (the Rng is not).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/sim/random.h"

namespace mamori::domain::sim {

// The shipped word list (words of 3-8 letters, in file order).
const std::vector<std::string>& SimWords();

// "bluecoffee", "river-studio", "maple24": one or two words, sometimes a hyphen or digits.
std::string BenignLabel(Rng& rng);
// A short, brandable label for popular sites ("harbor", "nova", "getpixel").
std::string PopularLabel(Rng& rng);
// "d3k9x0q2ab", "cdn-7f3a9c": hash-like labels of CDN and tracking services.
std::string HashLikeLabel(Rng& rng);
// "secure-account-verify", "paypal-login24"-style, without real brands: words + lure words.
std::string AttackerLabel(Rng& rng);

inline constexpr int kDgaSchemes = 5;
inline constexpr std::string_view kDgaSchemeNames[kDgaSchemes] = {
    "uniform-letters", "alphanumeric", "hex", "pronounceable", "dictionary"};
// A DGA label of the given scheme; `length_bias` (0..3) shifts the family's length range.
std::string DgaLabel(Rng& rng, int scheme, int length_bias);

}  // namespace mamori::domain::sim
