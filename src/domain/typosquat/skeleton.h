// Confusable skeleton of a domain label: the string a reader sees, with lookalikes collapsed.
//
// Non-ASCII lookalikes fold to the ASCII letter they imitate (Latin letters with marks,
// Cyrillic, Greek: "pаypаl" with Cyrillic 'а' -> "paypal"), then digits and letters that read
// alike are merged (0->o, 1/i->l), "rn"->"m" and "vv"->"w", and hyphens are dropped. Two labels
// with the same skeleton look the same to most people; the detector compares skeletons by edit
// distance so that a new mix of tricks still lands near the brand. Characters without a known
// lookalike are kept, so they count as differences. Pure function; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace mamori::domain {

// `label` is one Unicode (UTF-8) label, lower case, e.g. the output of DomainName::ToUnicode().
std::string ConfusableSkeleton(std::string_view label);

}  // namespace mamori::domain
