#include "rse/blocklist/selector.h"

#include <algorithm>
#include <cmath>

#include "core/huge_pages.h"
#include "core/ip.h"
#include "rse/blocklist/internal/forest_knapsack.h"
#include "rse/blocklist/internal/huge_vector.h"
#include "rse/blocklist/internal/label_forest.h"
#include "rse/blocklist/internal/prefix_forest.h"
#include "rse/blocklist/internal/previous_keys.h"
#include "rse/blocklist/internal/radix_sort.h"

namespace mamori::rse::blocklist {

using internal::Forest;
using internal::ForestSolution;
using internal::PreviousKeys;

uint32_t SelectionInput::InternCategory(const std::string& category) {
  if (categories.empty()) {
    categories.push_back("");
    category_index_[""] = 0;
  }
  auto [it, inserted] = category_index_.emplace(category, static_cast<uint32_t>(categories.size()));
  if (inserted) categories.push_back(category);
  return it->second;
}

uint32_t SelectionInput::InternSourceSet(std::vector<uint16_t> sources) {
  std::sort(sources.begin(), sources.end());
  sources.erase(std::unique(sources.begin(), sources.end()), sources.end());
  auto [it, inserted] =
      source_set_index_.emplace(sources, static_cast<uint32_t>(source_sets.size()));
  if (inserted) source_sets.push_back(std::move(sources));
  return it->second;
}

std::string EntryKey(const Indicator& indicator) {
  std::string key(IndicatorTypeName(indicator.type));
  key += ':';
  key += indicator.value;
  return key;
}

namespace {
enum class Class { kIp = 0, kDomain = 1, kUrl = 2, kHash = 3 };
constexpr int kClasses = 4;

Class ClassOf(IndicatorType type) {
  switch (type) {
    case IndicatorType::kIpv4:
    case IndicatorType::kIpv6:
    case IndicatorType::kCidr:
      return Class::kIp;
    case IndicatorType::kDomain:
      return Class::kDomain;
    case IndicatorType::kUrl:
      return Class::kUrl;
    default:
      return Class::kHash;
  }
}

int64_t CapacityOf(const Capacity& capacity, Class c) {
  switch (c) {
    case Class::kIp:
      return capacity.ip;
    case Class::kDomain:
      return capacity.domain;
    case Class::kUrl:
      return capacity.url;
    case Class::kHash:
      return capacity.hash;
  }
  return 0;
}

// One class's forest plus what each node stands for.
struct ClassForest {
  Forest forest;
  std::vector<int32_t> candidate;   // per node; -1 for an aggregate
  std::vector<double> covered_own;  // per node: priority of listed items in its subtree
  std::vector<uint8_t> wildcard;    // name classes, per node: an entry covering names below it
  internal::PrefixNodes prefixes;   // IP class: each node's prefix
  bool is_ip = false;
  ForestSolution solution;

  // Addresses a node blocks (IP class), for per-address devices.
  double Size(size_t node) const {
    return std::ldexp(1.0, prefixes.Bits(node) - prefixes.prefix[node]);
  }
};

// Dotted quad to host order. Written by hand because Cidr::Parse per candidate was a third of a
// 5M-candidate selection. Accepts exactly what IpAddress::Parse accepts for IPv4 (no leading
// zeros), so entries keep the numeric order Blocklist's canonical sort gives them.
bool ParseDottedQuad(std::string_view text, uint32_t& out) {
  uint32_t value = 0;
  int octets = 0, digits = 0;
  uint32_t octet = 0;
  for (char ch : text) {
    if (ch >= '0' && ch <= '9') {
      if (digits == 1 && octet == 0) return false;  // "01" would be read as octal elsewhere
      octet = octet * 10 + static_cast<uint32_t>(ch - '0');
      if (++digits > 3 || octet > 255) return false;
    } else if (ch == '.' && digits > 0 && octets < 3) {
      value = (value << 8) | octet;
      ++octets;
      octet = 0;
      digits = 0;
    } else {
      return false;
    }
  }
  if (octets != 3 || digits == 0) return false;
  out = (value << 8) | octet;
  return true;
}

struct ParsedAddress {
  AddressValue network = 0;
  int prefix = 0;
  int bits = 32;
};

bool ParseAddress(const Indicator& indicator, ParsedAddress& out) {
  uint32_t v4 = 0;
  if (indicator.type == IndicatorType::kIpv4 && ParseDottedQuad(indicator.value, v4)) {
    out.network = v4;
    out.prefix = 32;
    out.bits = 32;
    return true;
  }
  auto parsed = Cidr::Parse(indicator.value);
  if (!parsed) return false;
  const Cidr& cidr = parsed->cidr;
  out.network = ToAddressValue(cidr.network());
  out.prefix = cidr.prefix();
  out.bits = cidr.network().bit_length();
  return true;
}

// Both families' prefix items, parsed once from the candidates' text.
struct PrefixItems {
  std::vector<internal::PrefixItemV4> v4;
  std::vector<internal::PrefixItemV6> v6;

  void Add(const ParsedAddress& address, int32_t candidate, double own, bool split) {
    if (address.bits == 32) {
      v4.push_back({static_cast<uint32_t>(address.network), static_cast<uint8_t>(address.prefix),
                    split, candidate, own});
    } else {
      v6.push_back({address.network, static_cast<uint8_t>(address.prefix), split, candidate, own});
    }
  }
};

// A listed network with a protected address inside: adds the parts around it, sharing the
// listing's priority, so the protected address is never inside an emitted CIDR.
void AddSplitNetwork(const ParsedAddress& address, int32_t candidate, double priority,
                     const AddressRangeSet& protected_set, PrefixItems& items) {
  AddressRangeSet listed;
  listed.Add(Cidr::Of(
      FromAddressValue(address.network, address.bits == 32 ? IpFamily::kV4 : IpFamily::kV6),
      address.prefix));
  listed.Normalize();
  std::vector<Cidr> pieces = listed.Minus(protected_set).ToCidrs();
  if (pieces.empty()) return;
  double share = priority / static_cast<double>(pieces.size());
  for (const Cidr& piece : pieces) {
    ParsedAddress part{ToAddressValue(piece.network()), piece.prefix(), address.bits};
    items.Add(part, candidate, share, true);
  }
}

ClassForest BuildIpForest(const SelectionInput& input, const std::vector<int32_t>& members,
                          const SelectOptions& options, const PreviousKeys& previous,
                          CoverageReport& coverage) {
  PrefixItems items;
  ReserveHuge(items.v4, members.size());
  const AddressRangeSet* protected_set = options.protected_addresses;
  for (int32_t index : members) {
    const Candidate& candidate = input.candidates[index];
    ParsedAddress address;
    if (!ParseAddress(candidate.indicator, address)) continue;
    bool is_network = address.prefix < address.bits;
    if (is_network && options.cidr == CidrPolicy::kUnsupported) continue;
    AddressValue last =
        is_network ? (address.network | ((AddressValue{1} << (address.bits - address.prefix)) - 1))
                   : address.network;
    bool touches =
        protected_set &&
        (address.bits == 32 ? protected_set->IntersectsV4(static_cast<uint32_t>(address.network),
                                                          static_cast<uint32_t>(last))
                            : protected_set->IntersectsV6(address.network, last));
    if (!touches) {
      items.Add(address, index, candidate.priority, false);
      continue;
    }
    ++coverage.dropped_protected;
    if (is_network) AddSplitNetwork(address, index, candidate.priority, *protected_set, items);
  }
  internal::AggregationRules rules;
  rules.aggregate = options.aggregate && options.cidr == CidrPolicy::kOneEntry;
  rules.collateral_penalty = options.collateral_penalty;
  rules.churn_bonus = options.churn_threshold;
  rules.previous = &previous;
  rules.protected_addresses = protected_set;

  std::vector<std::pair<AddressValue, double>> observed_v4, observed_v6;
  if (options.observed_unlisted) {
    for (const ObservedAddress& observed : *options.observed_unlisted) {
      auto& family = observed.address.is_v4() ? observed_v4 : observed_v6;
      family.push_back({ToAddressValue(observed.address), observed.cost});
    }
  }
  const internal::ObservedCosts costs_v4(std::move(observed_v4));
  const internal::ObservedCosts costs_v6(std::move(observed_v6));

  internal::PrefixForest built;
  rules.min_prefix = options.min_prefix_v4;
  rules.observed = costs_v4.empty() ? nullptr : &costs_v4;
  internal::AppendPrefixTrie(items.v4, rules, built);
  rules.min_prefix = options.min_prefix_v6;
  rules.observed = costs_v6.empty() ? nullptr : &costs_v6;
  internal::AppendPrefixTrie(items.v6, rules, built);
  ClassForest out;
  out.is_ip = true;
  out.forest = std::move(built.forest);
  out.candidate = std::move(built.candidate);
  out.covered_own = std::move(built.subtree_own);
  out.prefixes = std::move(built.nodes);
  return out;
}

ClassForest BuildNameForest(const SelectionInput& input, const std::vector<int32_t>& members,
                            bool nest, const SelectOptions& options, const PreviousKeys& previous) {
  std::vector<internal::LabelItem> items;
  ReserveHuge(items, members.size());
  for (int32_t index : members) {
    const Candidate& candidate = input.candidates[index];
    items.push_back({&candidate.indicator.value, index, candidate.priority,
                     IndicatorTypeName(candidate.indicator.type)});
  }
  internal::LabelForest built =
      internal::BuildLabelForest(items, nest, &previous, options.churn_threshold);
  ClassForest out;
  out.forest = std::move(built.forest);
  out.candidate = std::move(built.candidate);
  out.covered_own = std::move(built.subtree_own);
  out.wildcard = std::move(built.has_children);
  return out;
}

// Per-address devices count a CIDR as its addresses: drop the emitted networks worth the least
// per address until the addresses fit. (Aggregation is off for them.)
void FitPerAddress(ClassForest& forest, int64_t capacity) {
  double used = 0;
  std::vector<int32_t> networks;
  for (size_t i = 0; i < forest.solution.emitted.size(); ++i) {
    if (!forest.solution.emitted[i]) continue;
    used += forest.Size(i);
    if (forest.Size(i) > 1) networks.push_back(static_cast<int32_t>(i));
  }
  std::sort(networks.begin(), networks.end(), [&](int32_t a, int32_t b) {
    double va = forest.covered_own[a] / forest.Size(a), vb = forest.covered_own[b] / forest.Size(b);
    if (va != vb) return va < vb;
    return a < b;
  });
  for (int32_t i : networks) {
    if (used <= static_cast<double>(capacity)) break;
    forest.solution.emitted[i] = 0;
    used -= forest.Size(i);
    forest.solution.entries -= 1;
  }
}

struct EmittedRef {
  int cls;
  int32_t node;
  double value;
};

// A shared limit over all classes keeps the entries worth most, whatever their class.
void FitTotal(ClassForest (&forests)[kClasses], int64_t total) {
  std::vector<EmittedRef> emitted;
  for (int k = 0; k < kClasses; ++k) {
    const auto& flags = forests[k].solution.emitted;
    for (size_t i = 0; i < flags.size(); ++i) {
      if (flags[i]) emitted.push_back({k, static_cast<int32_t>(i), forests[k].forest.value[i]});
    }
  }
  if (static_cast<int64_t>(emitted.size()) <= total) return;
  std::sort(emitted.begin(), emitted.end(), [](const EmittedRef& a, const EmittedRef& b) {
    if (a.value != b.value) return a.value > b.value;
    if (a.cls != b.cls) return a.cls < b.cls;
    return a.node < b.node;
  });
  for (size_t i = static_cast<size_t>(total); i < emitted.size(); ++i) {
    forests[emitted[i].cls].solution.emitted[emitted[i].node] = 0;
  }
}

// Calls fn(candidate, slot) for every slot whose candidate is not negative, in increasing
// candidate order. Speed: candidates are 64 B each (320 MB for the benchmark's 5M); read at
// random, nearly every access missed both cache and TLB (perf: half of assembling the entries
// waited on that one load), while in candidate order they are read front to back. Assembling
// 900k entries went from ~2.4 s to ~0.6 s.
template <typename Fn>
void ForEachInCandidateOrder(const std::vector<int32_t>& candidate_of_slot, Fn&& fn) {
  std::vector<uint64_t> keys;
  ReserveHuge(keys, candidate_of_slot.size());
  for (size_t slot = 0; slot < candidate_of_slot.size(); ++slot) {
    int32_t candidate = candidate_of_slot[slot];
    if (candidate >= 0) keys.push_back((uint64_t{static_cast<uint32_t>(candidate)} << 32) | slot);
  }
  std::vector<uint64_t> scratch;
  internal::RadixSortByKey(keys, scratch, 32, [](uint64_t key) { return key >> 32; });
  for (uint64_t key : keys)
    fn(static_cast<int32_t>(key >> 32), static_cast<size_t>(key & 0xffffffffu));
}

// The first 16 bytes of a text as two big-endian integers (zero-padded): comparing them is
// comparing those bytes, without following the string's pointer.
std::pair<uint64_t, uint64_t> TextPrefix(std::string_view text) {
  uint64_t word[2] = {0, 0};
  for (size_t i = 0; i < 16 && i < text.size(); ++i) {
    word[i / 8] |= uint64_t{static_cast<uint8_t>(text[i])} << (56 - 8 * (i % 8));
  }
  return {word[0], word[1]};
}

// The emitted nodes of a class in Blocklist's canonical order (see SortCanonical). An IP class's
// post-order already is: its entries never nest, so post-order is (family, network) order, and
// that saves parsing every entry back from text. Names sort by (type, text).
std::vector<int32_t> EmittedInCanonicalOrder(const SelectionInput& input,
                                             const ClassForest& forest) {
  std::vector<int32_t> nodes;
  nodes.reserve(static_cast<size_t>(forest.solution.entries));
  const auto& emitted = forest.solution.emitted;
  for (size_t i = 0; i < emitted.size(); ++i) {
    if (emitted[i]) nodes.push_back(static_cast<int32_t>(i));
  }
  if (forest.is_ip) return nodes;
  struct Key {
    IndicatorType type;
    std::pair<uint64_t, uint64_t> prefix;
    std::string_view text;
    int32_t node;
  };
  std::vector<Key> keys(nodes.size());
  std::vector<int32_t> candidates(nodes.size());
  for (size_t k = 0; k < nodes.size(); ++k) candidates[k] = forest.candidate[nodes[k]];
  ForEachInCandidateOrder(candidates, [&](int32_t candidate, size_t k) {
    const Indicator& indicator = input.candidates[candidate].indicator;
    keys[k] = {indicator.type, TextPrefix(indicator.value), indicator.value, nodes[k]};
  });
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    if (a.type != b.type) return a.type < b.type;
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    if (a.text != b.text) return a.text < b.text;
    return a.node < b.node;
  });
  for (size_t k = 0; k < keys.size(); ++k) nodes[k] = keys[k].node;
  return nodes;
}

// What an entry needs to know of each candidate it covers.
struct Facts {
  double priority;
  uint32_t category;
  uint32_t source_set;
};

// Fills entry metadata and coverage from the emitted nodes of every class.
class Assembler {
 public:
  Assembler(const SelectionInput& input, Selection& out)
      : input_(input),
        out_(out),
        covered_(internal::HugeVector<uint8_t>(input.candidates.size())),
        category_priority_(input.categories.size() + 1, 0.0),
        category_seen_(input.categories.size() + 1, 0),
        source_seen_(input.source_names.size(), 0),
        source_rank_(SourceRanks(input.source_names)) {}

  // Classes in canonical order (IP, domain, URL, hash), so entries come out in canonical order.
  void AddClass(const ClassForest& forest) {
    const size_t n = forest.forest.parent.size();
    const std::vector<int32_t> emitted = EmittedInCanonicalOrder(input_, forest);
    const int32_t first_entry = static_cast<int32_t>(out_.list.entries.size());
    out_.list.entries.resize(out_.list.entries.size() + emitted.size());
    // Entry of each node: its own if emitted, else its nearest emitted ancestor's (top-down).
    std::vector<int32_t> entry_of = internal::HugeVector<int32_t>(n, -1);
    for (size_t e = 0; e < emitted.size(); ++e) {
      entry_of[emitted[e]] = first_entry + static_cast<int32_t>(e);
    }
    for (size_t r = n; r-- > 0;) {
      int32_t p = forest.forest.parent[r];
      if (entry_of[r] < 0 && p >= 0) entry_of[r] = entry_of[p];
    }
    Name(forest, emitted, first_entry);
    Describe(forest, entry_of, first_entry);
  }

  void Finish() { Coverage(); }

 private:
  // Each entry's indicator: made from the prefix (aggregates, split pieces) or the listed one.
  void Name(const ClassForest& forest, const std::vector<int32_t>& emitted, int32_t first_entry) {
    std::vector<int32_t> listed(emitted.size(), -1);  // per entry: the candidate it copies
    for (size_t e = 0; e < emitted.size(); ++e) {
      const int32_t node = emitted[e];
      BlocklistEntry& entry = out_.list.entries[first_entry + e];
      entry.wildcard = !forest.is_ip && forest.wildcard[node];
      entry.priority = forest.covered_own[node];
      entry.covered = 0;
      if (!forest.is_ip || !forest.prefixes.generated[node]) {
        listed[e] = forest.candidate[node];
        continue;
      }
      int prefix = forest.prefixes.prefix[node], bits = forest.prefixes.Bits(node);
      entry.indicator.value = internal::PrefixText(forest.prefixes.Network(node), prefix, bits);
      entry.indicator.type = prefix < bits
                                 ? IndicatorType::kCidr
                                 : (bits == 32 ? IndicatorType::kIpv4 : IndicatorType::kIpv6);
    }
    ForEachInCandidateOrder(listed, [&](int32_t candidate, size_t e) {
      out_.list.entries[first_entry + e].indicator = input_.candidates[candidate].indicator;
    });
  }

  // Counts, categories and sources of each entry from the listed nodes it covers, taken in node
  // order (a split listing counts for the first entry holding one of its pieces).
  void Describe(const ClassForest& forest, const std::vector<int32_t>& entry_of,
                int32_t first_entry) {
    const size_t n = entry_of.size();
    const size_t entries = out_.list.entries.size() - static_cast<size_t>(first_entry);
    // Group the covered nodes by entry (a stable counting sort) so each entry's are contiguous:
    // no per-entry map or vector (the std::map per entry this replaces allocated for each one).
    std::vector<int32_t> start(entries + 1, 0);
    for (size_t i = 0; i < n; ++i) {
      int32_t candidate = forest.candidate[i];
      if (candidate < 0 || entry_of[i] < 0) continue;
      BlocklistEntry& entry = out_.list.entries[entry_of[i]];
      if (!covered_[candidate]) {
        covered_[candidate] = 1;
        entry.covered += 1;
      }
      ++start[entry_of[i] - first_entry + 1];
    }
    for (size_t e = 0; e < entries; ++e) start[e + 1] += start[e];
    std::vector<int32_t> grouped =
        internal::HugeVector<int32_t>(static_cast<size_t>(start[entries]));
    std::vector<int32_t> next(start.begin(), start.end() - 1);
    for (size_t i = 0; i < n; ++i) {
      if (forest.candidate[i] < 0 || entry_of[i] < 0) continue;
      grouped[next[entry_of[i] - first_entry]++] = forest.candidate[i];
    }
    std::vector<Facts> facts;
    internal::AssignHuge(facts, grouped.size());
    ForEachInCandidateOrder(grouped, [&](int32_t candidate, size_t slot) {
      const Candidate& c = input_.candidates[candidate];
      facts[slot] = {c.priority, c.category, c.source_set};
    });
    for (size_t e = 0; e < entries; ++e) {
      BlocklistEntry& entry = out_.list.entries[first_entry + e];
      const Facts* begin = facts.data() + start[e];
      const Facts* end = facts.data() + start[e + 1];
      entry.category = DominantCategory(begin, end);
      entry.sources = SourcesOf(begin, end);
    }
  }

  // The category holding the most priority; ties go to the lower category index.
  std::string DominantCategory(const Facts* begin, const Facts* end) {
    std::vector<uint32_t>& seen = categories_seen_;
    seen.clear();
    for (const Facts* f = begin; f != end; ++f) {
      uint32_t k = std::min<uint32_t>(f->category, static_cast<uint32_t>(input_.categories.size()));
      if (!category_seen_[k]) {
        category_seen_[k] = 1;
        seen.push_back(k);
      }
      category_priority_[k] += f->priority;
    }
    std::sort(seen.begin(), seen.end());
    double best = -1;
    std::string category;
    for (uint32_t k : seen) {
      if (category_priority_[k] > best) {
        best = category_priority_[k];
        category = k < input_.categories.size() ? input_.categories[k] : "";
      }
      category_priority_[k] = 0;
      category_seen_[k] = 0;
    }
    return category;
  }

  // Names of the sources listing any covered candidate, sorted by name.
  std::vector<std::string> SourcesOf(const Facts* begin, const Facts* end) {
    std::vector<uint16_t>& sources = sources_seen_;
    sources.clear();
    for (const Facts* f = begin; f != end; ++f) {
      if (f->source_set >= input_.source_sets.size()) continue;
      for (uint16_t s : input_.source_sets[f->source_set]) {
        if (s >= source_seen_.size() || source_seen_[s]) continue;
        source_seen_[s] = 1;
        sources.push_back(s);
      }
    }
    std::sort(sources.begin(), sources.end(),
              [&](uint16_t a, uint16_t b) { return source_rank_[a] < source_rank_[b]; });
    std::vector<std::string> names;
    names.reserve(sources.size());
    for (uint16_t s : sources) {
      names.push_back(input_.source_names[s]);
      source_seen_[s] = 0;
    }
    return names;
  }

  // Position of each source in name order (ties by id), so an entry's names sort as integers.
  static std::vector<uint32_t> SourceRanks(const std::vector<std::string>& names) {
    std::vector<uint32_t> ids(names.size());
    for (size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<uint32_t>(i);
    std::sort(ids.begin(), ids.end(), [&](uint32_t a, uint32_t b) {
      if (names[a] != names[b]) return names[a] < names[b];
      return a < b;
    });
    std::vector<uint32_t> rank(names.size());
    for (size_t r = 0; r < ids.size(); ++r) rank[ids[r]] = static_cast<uint32_t>(r);
    return rank;
  }

  void Coverage() {
    CoverageReport& report = out_.coverage;
    report.entries = static_cast<int64_t>(out_.list.entries.size());
    std::vector<CoverageLine> sources(input_.source_names.size());
    std::vector<CoverageLine> categories(std::max<size_t>(1, input_.categories.size()));
    for (size_t i = 0; i < input_.candidates.size(); ++i) {
      const Candidate& c = input_.candidates[i];
      bool covered = covered_[i];
      report.candidates += 1;
      report.total_priority += c.priority;
      if (covered) {
        report.covered_candidates += 1;
        report.covered_priority += c.priority;
      }
      auto count = [&](CoverageLine& line) {
        line.candidates += 1;
        line.priority += c.priority;
        if (covered) {
          line.selected += 1;
          line.covered += c.priority;
        }
      };
      if (c.category < categories.size()) count(categories[c.category]);
      if (c.source_set < input_.source_sets.size()) {
        for (uint16_t s : input_.source_sets[c.source_set]) {
          if (s < sources.size()) count(sources[s]);
        }
      }
    }
    for (size_t s = 0; s < sources.size(); ++s) {
      sources[s].name = input_.source_names[s];
      report.by_source.push_back(std::move(sources[s]));
    }
    for (size_t k = 0; k < categories.size(); ++k) {
      if (categories[k].candidates == 0) continue;
      categories[k].name = k < input_.categories.size() ? input_.categories[k] : "";
      report.by_category.push_back(std::move(categories[k]));
    }
    auto by_name = [](const CoverageLine& a, const CoverageLine& b) { return a.name < b.name; };
    std::sort(report.by_source.begin(), report.by_source.end(), by_name);
    std::sort(report.by_category.begin(), report.by_category.end(), by_name);
    for (const BlocklistEntry& entry : out_.list.entries) {
      if (entry.covered > 1) report.aggregates += 1;
    }
  }

  const SelectionInput& input_;
  Selection& out_;
  std::vector<uint8_t> covered_;
  // Scratch for one entry at a time, reset after each (one allocation for all entries).
  std::vector<double> category_priority_;
  std::vector<uint8_t> category_seen_;
  std::vector<uint32_t> categories_seen_;
  std::vector<uint8_t> source_seen_;
  std::vector<uint16_t> sources_seen_;
  const std::vector<uint32_t> source_rank_;
};

void CountChurn(const SelectOptions& options, const PreviousKeys& previous, Selection& out) {
  CoverageReport& report = out.coverage;
  for (const BlocklistEntry& entry : out.list.entries) {
    if (!previous.empty() &&
        previous.Contains(IndicatorTypeName(entry.indicator.type), entry.indicator.value)) {
      report.kept += 1;
    } else {
      report.added += 1;
    }
  }
  report.removed = static_cast<int64_t>(options.previous.size()) - report.kept;
}

// The candidates worth selecting, by class.
void SplitByClass(const SelectionInput& input, const SelectOptions& options,
                  std::vector<int32_t> (&members)[kClasses]) {
  auto class_of = [&](const Candidate& c) {
    if (!(c.priority > 0) || c.priority < options.min_priority) return -1;
    Class cls = ClassOf(c.indicator.type);
    return CapacityOf(options.capacity, cls) > 0 ? static_cast<int>(cls) : -1;
  };
  // Counted first so that each list is allocated once, in huge pages.
  size_t count[kClasses] = {};
  for (const Candidate& c : input.candidates) {
    int k = class_of(c);
    if (k >= 0) ++count[k];
  }
  for (int k = 0; k < kClasses; ++k) ReserveHuge(members[k], count[k]);
  for (size_t i = 0; i < input.candidates.size(); ++i) {
    int k = class_of(input.candidates[i]);
    if (k >= 0) members[k].push_back(static_cast<int32_t>(i));
  }
}

}  // namespace

Expected<Selection> Select(const SelectionInput& input, const SelectOptions& options) {
  if (input.candidates.size() > static_cast<size_t>(INT32_MAX / 2)) {
    return MakeError(ErrorCode::kInvalidArgument, "selector: too many candidates");
  }
  const Capacity& capacity = options.capacity;
  std::vector<int32_t> members[kClasses];
  SplitByClass(input, options, members);
  const PreviousKeys previous(options.previous);

  Selection out;
  ClassForest forests[kClasses];
  forests[0] = BuildIpForest(input, members[0], options, previous, out.coverage);
  forests[1] = BuildNameForest(input, members[1], options.wildcard_domains, options, previous);
  forests[2] = BuildNameForest(input, members[2], false, options, previous);
  forests[3] = BuildNameForest(input, members[3], false, options, previous);
  for (int k = 0; k < kClasses; ++k) {
    int64_t cap = CapacityOf(capacity, static_cast<Class>(k));
    if (capacity.total > 0) cap = std::min(cap, capacity.total);
    forests[k].solution = internal::SolveForest(forests[k].forest, cap);
    if (k == 0 && options.cidr == CidrPolicy::kPerAddress) FitPerAddress(forests[k], cap);
  }
  if (capacity.total > 0) FitTotal(forests, capacity.total);

  int64_t entries = 0;
  for (const ClassForest& forest : forests) entries += forest.solution.entries;
  ReserveHuge(out.list.entries, static_cast<size_t>(entries));
  Assembler assembler(input, out);
  for (int k = 0; k < kClasses; ++k) assembler.AddClass(forests[k]);
  assembler.Finish();
  CountChurn(options, previous, out);
  return out;
}

}  // namespace mamori::rse::blocklist
