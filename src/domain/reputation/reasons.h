// Plain-words reasons from SHAP contributions: "resolved to 3 of 4 addresses already used by
// known-malicious domains", "re-registered 12 days ago after 40 days out of the zone". The
// lexical features are summed into one reason about the name itself (twenty small character
// statistics mean nothing to an analyst one by one). Contributions are in log-odds; a reason
// with a negative one lowers the score and says so.
#pragma once

#include <string>
#include <vector>

#include "domain/reputation/features.h"
#include "domain/reputation/scorer.h"

namespace mamori::domain::reputation {

// `contributions` has kFeatureCount + 1 entries (the last is the bias); `top` reasons at most,
// largest |contribution| first; a name without history gets that said as its first reason.
std::vector<Reason> ReasonsFrom(const FeatureVector& features, const std::vector<float>& contributions,
                                bool has_history, size_t top);

// The sentence for one feature's value (without the direction), e.g. for
// dns_bad_address_share: "3 of 4 addresses it resolved to were already used by known-malicious
// domains".
std::string DescribeFeature(size_t feature, const FeatureVector& values);

}  // namespace mamori::domain::reputation
