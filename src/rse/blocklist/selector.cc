#include "rse/blocklist/selector.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "core/huge_pages.h"
#include "core/ip.h"
#include "rse/blocklist/internal/forest_knapsack.h"
#include "rse/blocklist/internal/label_forest.h"
#include "rse/blocklist/internal/prefix_forest.h"

namespace mamori::rse::blocklist {

using internal::Forest;
using internal::ForestSolution;

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
  std::vector<int32_t> candidate;    // per node; -1 for an aggregate
  std::vector<double> covered_own;   // per node: priority of listed items in its subtree
  // Per node of the IP class: the prefix, whose text becomes the entry when the node is an
  // aggregate or a piece of a split CIDR (made only for emitted nodes: most never are).
  std::vector<AddressValue> network;
  std::vector<uint8_t> prefix;
  std::vector<uint8_t> bits;
  std::vector<uint8_t> needs_text;
  std::vector<uint8_t> wildcard;     // per node: a domain entry covering names below it
  std::vector<double> size;          // per node: addresses (IP class), for per-address devices
  ForestSolution solution;
};

Indicator AddressIndicator(AddressValue network, int prefix, int bits) {
  Indicator indicator;
  indicator.value = internal::PrefixText(network, prefix, bits);
  indicator.type = prefix < bits ? IndicatorType::kCidr
                                 : (bits == 32 ? IndicatorType::kIpv4 : IndicatorType::kIpv6);
  return indicator;
}

void AppendPrefixForest(ClassForest& out, internal::PrefixForest&& built, int bits,
                        const std::vector<uint8_t>& split) {
  const int32_t offset = static_cast<int32_t>(out.forest.parent.size());
  const size_t total = out.forest.parent.size() + built.nodes.size();
  ReserveHuge(out.forest.parent, total);
  ReserveHuge(out.forest.value, total);
  ReserveHuge(out.candidate, total);
  ReserveHuge(out.covered_own, total);
  ReserveHuge(out.network, total);
  ReserveHuge(out.prefix, total);
  ReserveHuge(out.bits, total);
  ReserveHuge(out.needs_text, total);
  ReserveHuge(out.wildcard, total);
  ReserveHuge(out.size, total);
  for (size_t i = 0; i < built.nodes.size(); ++i) {
    const internal::PrefixNode& node = built.nodes[i];
    int32_t parent = built.forest.parent[i];
    out.forest.parent.push_back(parent >= 0 ? parent + offset : -1);
    out.forest.value.push_back(built.forest.value[i]);
    out.candidate.push_back(node.candidate);
    out.covered_own.push_back(node.subtree_own);
    out.network.push_back(node.network);
    out.prefix.push_back(static_cast<uint8_t>(node.prefix));
    out.bits.push_back(static_cast<uint8_t>(bits));
    out.needs_text.push_back(node.candidate < 0 || split[node.candidate]);
    out.wildcard.push_back(0);
    out.size.push_back(std::ldexp(1.0, bits - node.prefix));
  }
}

struct ParsedAddress {
  AddressValue network = 0;
  int prefix = 0;
  int bits = 32;
};

// Dotted quad to host order, for normalized IPv4 text (what the store holds). Written by hand
// because Cidr::Parse per candidate was a third of a 5M-candidate selection.
bool ParseDottedQuad(std::string_view text, uint32_t& out) {
  uint32_t value = 0;
  int octets = 0, digits = 0;
  uint32_t octet = 0;
  for (char ch : text) {
    if (ch >= '0' && ch <= '9') {
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

ClassForest BuildIpForest(const SelectionInput& input, const std::vector<int32_t>& members,
                          const SelectOptions& options, CoverageReport& coverage) {
  std::vector<internal::PrefixItem> v4, v6;
  ReserveHuge(v4, members.size());
  std::vector<uint8_t> split(input.candidates.size(), 0);
  const AddressRangeSet* protected_set = options.protected_addresses;
  for (int32_t index : members) {
    const Candidate& candidate = input.candidates[index];
    ParsedAddress address;
    if (!ParseAddress(candidate.indicator, address)) continue;
    bool is_network = address.prefix < address.bits;
    if (is_network && options.cidr == CidrPolicy::kUnsupported) continue;
    auto& items = address.bits == 32 ? v4 : v6;
    AddressValue last =
        is_network ? (address.network | ((AddressValue{1} << (address.bits - address.prefix)) - 1))
                   : address.network;
    bool touches = protected_set && (address.bits == 32
                                         ? protected_set->IntersectsV4(
                                               static_cast<uint32_t>(address.network),
                                               static_cast<uint32_t>(last))
                                         : protected_set->IntersectsV6(address.network, last));
    if (!touches) {
      items.push_back({address.network, address.prefix, index, candidate.priority});
      continue;
    }
    ++coverage.dropped_protected;
    if (!is_network) continue;
    // A listed network with a protected address inside: keep the parts around it, sharing the
    // listing's priority, so the protected address is never inside an emitted CIDR.
    AddressRangeSet listed;
    listed.Add(Cidr::Of(
        FromAddressValue(address.network, address.bits == 32 ? IpFamily::kV4 : IpFamily::kV6),
        address.prefix));
    listed.Normalize();
    std::vector<Cidr> pieces = listed.Minus(*protected_set).ToCidrs();
    if (pieces.empty()) continue;
    split[index] = 1;
    double share = candidate.priority / static_cast<double>(pieces.size());
    for (const Cidr& piece : pieces) {
      items.push_back({ToAddressValue(piece.network()), piece.prefix(), index, share});
    }
  }
  internal::AggregationRules rules;
  rules.aggregate = options.aggregate && options.cidr == CidrPolicy::kOneEntry;
  rules.collateral_penalty = options.collateral_penalty;
  rules.churn_bonus = options.churn_threshold;
  rules.previous = &options.previous;
  rules.protected_addresses = protected_set;

  ClassForest out;
  rules.min_prefix = options.min_prefix_v4;
  AppendPrefixForest(out, internal::BuildPrefixForest(std::move(v4), 32, rules), 32, split);
  rules.min_prefix = options.min_prefix_v6;
  AppendPrefixForest(out, internal::BuildPrefixForest(std::move(v6), 128, rules), 128, split);
  return out;
}

ClassForest BuildNameForest(const SelectionInput& input, const std::vector<int32_t>& members,
                            bool nest, const SelectOptions& options) {
  std::vector<internal::LabelItem> items;
  items.reserve(members.size());
  for (int32_t index : members) {
    const Candidate& candidate = input.candidates[index];
    items.push_back({&candidate.indicator.value, index, candidate.priority,
                     IndicatorTypeName(candidate.indicator.type)});
  }
  internal::LabelForest built = internal::BuildLabelForest(
      items, nest, &options.previous, options.churn_threshold);
  ClassForest out;
  out.forest = std::move(built.forest);
  out.candidate = std::move(built.candidate);
  out.covered_own = std::move(built.subtree_own);
  out.needs_text.assign(out.candidate.size(), 0);
  out.wildcard = std::move(built.has_children);
  out.size.assign(out.candidate.size(), 1.0);
  return out;
}

// Per-address devices count a CIDR as its addresses: drop the emitted networks worth the least
// per address until the addresses fit. (Aggregation is off for them.)
void FitPerAddress(ClassForest& forest, int64_t capacity) {
  double used = 0;
  std::vector<int32_t> networks;
  for (size_t i = 0; i < forest.solution.emitted.size(); ++i) {
    if (!forest.solution.emitted[i]) continue;
    used += forest.size[i];
    if (forest.size[i] > 1) networks.push_back(static_cast<int32_t>(i));
  }
  std::sort(networks.begin(), networks.end(), [&](int32_t a, int32_t b) {
    double va = forest.covered_own[a] / forest.size[a], vb = forest.covered_own[b] / forest.size[b];
    if (va != vb) return va < vb;
    return a < b;
  });
  for (int32_t i : networks) {
    if (used <= static_cast<double>(capacity)) break;
    forest.solution.emitted[i] = 0;
    used -= forest.size[i];
    forest.solution.entries -= 1;
  }
}

struct EmittedRef {
  int cls;
  int32_t node;
  double value;
};


// Fills entry metadata and coverage from the emitted nodes of every class.
class Assembler {
 public:
  Assembler(const SelectionInput& input, Selection& out)
      : input_(input), out_(out), covered_(input.candidates.size(), 0) {}

  void AddClass(const ClassForest& forest) {
    const size_t n = forest.forest.parent.size();
    // Entry index of the emitted node at or above each node (top-down over the post-order).
    std::vector<int32_t> entry_of(n, -1);
    for (size_t r = n; r-- > 0;) {
      int32_t p = forest.forest.parent[r];
      if (forest.solution.emitted[r]) {
        entry_of[r] = static_cast<int32_t>(out_.list.entries.size());
        BlocklistEntry entry;
        int32_t candidate = forest.candidate[r];
        entry.indicator = forest.needs_text[r] || candidate < 0
                              ? AddressIndicator(forest.network[r], forest.prefix[r], forest.bits[r])
                              : input_.candidates[candidate].indicator;
        entry.wildcard = forest.wildcard[r];
        entry.priority = forest.covered_own[r];
        entry.covered = 0;
        out_.list.entries.push_back(std::move(entry));
        scratch_.emplace_back();
      } else if (p >= 0) {
        entry_of[r] = entry_of[p];
      }
    }
    for (size_t i = 0; i < n; ++i) {
      int32_t candidate = forest.candidate[i];
      if (candidate < 0 || entry_of[i] < 0) continue;
      Scratch& scratch = scratch_[entry_of[i]];
      if (!covered_[candidate]) {
        covered_[candidate] = 1;
        out_.list.entries[entry_of[i]].covered += 1;
      }
      const Candidate& c = input_.candidates[candidate];
      scratch.category_priority[c.category] += c.priority;
      scratch.source_sets.push_back(c.source_set);
    }
  }

  void Finish() {
    for (size_t e = 0; e < out_.list.entries.size(); ++e) {
      BlocklistEntry& entry = out_.list.entries[e];
      Scratch& scratch = scratch_[e];
      double best = -1;
      for (const auto& [category, priority] : scratch.category_priority) {
        if (priority > best) {
          best = priority;
          entry.category = category < input_.categories.size() ? input_.categories[category] : "";
        }
      }
      std::sort(scratch.source_sets.begin(), scratch.source_sets.end());
      scratch.source_sets.erase(std::unique(scratch.source_sets.begin(), scratch.source_sets.end()),
                                scratch.source_sets.end());
      std::vector<uint16_t> sources;
      for (uint32_t set : scratch.source_sets) {
        if (set >= input_.source_sets.size()) continue;
        sources.insert(sources.end(), input_.source_sets[set].begin(), input_.source_sets[set].end());
      }
      std::sort(sources.begin(), sources.end());
      sources.erase(std::unique(sources.begin(), sources.end()), sources.end());
      for (uint16_t s : sources) {
        if (s < input_.source_names.size()) entry.sources.push_back(input_.source_names[s]);
      }
      std::sort(entry.sources.begin(), entry.sources.end());
    }
    scratch_.clear();
    SortCanonical(out_.list.entries);
    Coverage();
  }

 private:
  struct Scratch {
    std::map<uint32_t, double> category_priority;
    std::vector<uint32_t> source_sets;
  };

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
  std::vector<Scratch> scratch_;
};

}  // namespace

Expected<Selection> Select(const SelectionInput& input, const SelectOptions& options) {
  if (input.candidates.size() > static_cast<size_t>(INT32_MAX / 2)) {
    return MakeError(ErrorCode::kInvalidArgument, "selector: too many candidates");
  }
  const Capacity& capacity = options.capacity;
  std::vector<int32_t> members[kClasses];
  for (size_t i = 0; i < input.candidates.size(); ++i) {
    const Candidate& c = input.candidates[i];
    if (!(c.priority > 0) || c.priority < options.min_priority) continue;
    Class cls = ClassOf(c.indicator.type);
    if (CapacityOf(capacity, cls) <= 0) continue;
    members[static_cast<int>(cls)].push_back(static_cast<int32_t>(i));
  }

  Selection out;
  ClassForest forests[kClasses];
  forests[0] = BuildIpForest(input, members[0], options, out.coverage);
  forests[1] = BuildNameForest(input, members[1], options.wildcard_domains, options);
  forests[2] = BuildNameForest(input, members[2], false, options);
  forests[3] = BuildNameForest(input, members[3], false, options);
  for (int k = 0; k < kClasses; ++k) {
    int64_t cap = CapacityOf(capacity, static_cast<Class>(k));
    if (capacity.total > 0) cap = std::min(cap, capacity.total);
    forests[k].solution = internal::SolveForest(forests[k].forest, cap);
    if (k == 0 && options.cidr == CidrPolicy::kPerAddress) FitPerAddress(forests[k], cap);
  }

  // A shared limit over all classes keeps the entries worth most, whatever their class.
  if (capacity.total > 0) {
    std::vector<EmittedRef> emitted;
    for (int k = 0; k < kClasses; ++k) {
      const auto& flags = forests[k].solution.emitted;
      for (size_t i = 0; i < flags.size(); ++i) {
        if (flags[i]) emitted.push_back({k, static_cast<int32_t>(i), forests[k].forest.value[i]});
      }
    }
    if (static_cast<int64_t>(emitted.size()) > capacity.total) {
      std::sort(emitted.begin(), emitted.end(), [](const EmittedRef& a, const EmittedRef& b) {
        if (a.value != b.value) return a.value > b.value;
        if (a.cls != b.cls) return a.cls < b.cls;
        return a.node < b.node;
      });
      for (size_t i = static_cast<size_t>(capacity.total); i < emitted.size(); ++i) {
        forests[emitted[i].cls].solution.emitted[emitted[i].node] = 0;
      }
    }
  }

  Assembler assembler(input, out);
  for (int k = 0; k < kClasses; ++k) assembler.AddClass(forests[k]);
  assembler.Finish();

  for (const BlocklistEntry& entry : out.list.entries) {
    if (options.previous.count(EntryKey(entry.indicator))) {
      out.coverage.kept += 1;
    } else {
      out.coverage.added += 1;
    }
  }
  out.coverage.removed = static_cast<int64_t>(options.previous.size()) - out.coverage.kept;
  return out;
}

}  // namespace mamori::rse::blocklist
