#include "rse/blocklist/internal/label_forest.h"

#include <algorithm>

#include "rse/blocklist/internal/huge_vector.h"

namespace mamori::rse::blocklist::internal {
namespace {

uint64_t Mix(uint64_t h) {  // murmur3's finalizer: spreads the polynomial hash over all bits
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 33);
}

// Hashes of a name and of every suffix that follows one of its dots, in one right-to-left pass:
// a suffix's hash depends only on its text, so "evil.example" inside "a.evil.example" hashes as
// the listed name "evil.example" does. `suffixes` gets (start, hash) from the rightmost dot on.
struct Suffix {
  size_t start;
  uint64_t hash;
};

uint64_t HashSuffixes(std::string_view name, std::vector<Suffix>* suffixes) {
  constexpr uint64_t kBase = 0x100000001b3ull;
  uint64_t h = 0;
  for (size_t j = name.size(); j-- > 0;) {
    if (name[j] == '.' && suffixes) suffixes->push_back({j + 1, h});
    h = h * kBase + static_cast<uint8_t>(name[j]) + 1;
  }
  return h;
}

// The listed names packed into one buffer, copied in input order. Speed: a lookup hit compares
// text in this one buffer instead of following item → string → characters, three cache misses
// at random places in memory (the benchmark's 500k subdomains all hit).
class NameArena {
 public:
  explicit NameArena(const std::vector<LabelItem>& items) {
    size_t bytes = 0;
    for (const LabelItem& item : items) bytes += item.name->size();
    ReserveHuge(bytes_, bytes);
    AssignHuge<size_t>(start_, items.size() + 1);
    for (size_t i = 0; i < items.size(); ++i) {
      start_[i] = bytes_.size();
      bytes_.insert(bytes_.end(), items[i].name->begin(), items[i].name->end());
    }
    start_[items.size()] = bytes_.size();
  }

  size_t size() const { return start_.size() - 1; }
  std::string_view operator[](size_t i) const {
    return {bytes_.data() + start_[i], start_[i + 1] - start_[i]};
  }

 private:
  std::vector<char> bytes_;
  std::vector<size_t> start_;
};

// Open-addressing set of the listed names, looked up by text and hash. Written for speed: it
// replaces a node-based std::unordered_map<string_view, …> (an allocation and a pointer chase
// per name) in a build of 1.5M names.
class NameTable {
 public:
  explicit NameTable(const NameArena& names) : names_(names) {
    size_t capacity = 16;
    while (capacity < 2 * names.size()) capacity *= 2;
    mask_ = capacity - 1;
    AssignHuge(slots_, capacity, Slot{0, -1});
  }

  // Keeps the first of equal names.
  void Insert(int32_t item, uint64_t hash) {
    uint64_t mixed = Mix(hash);
    for (size_t s = mixed & mask_;; s = (s + 1) & mask_) {
      if (slots_[s].item < 0) {
        slots_[s] = {static_cast<uint32_t>(mixed >> 32), item};
        return;
      }
      if (Matches(slots_[s], mixed, names_[item])) return;
    }
  }

  // Starts loading the slot where a lookup of `hash` begins.
  void Prefetch(uint64_t hash) const { __builtin_prefetch(&slots_[Mix(hash) & mask_]); }

  int32_t Find(std::string_view name, uint64_t hash) const {
    uint64_t mixed = Mix(hash);
    for (size_t s = mixed & mask_; slots_[s].item >= 0; s = (s + 1) & mask_) {
      if (Matches(slots_[s], mixed, name)) return slots_[s].item;
    }
    return -1;
  }

 private:
  struct Slot {
    uint32_t tag;  // high half of the mixed hash: most mismatches never compare text
    int32_t item;
  };

  bool Matches(const Slot& slot, uint64_t mixed, std::string_view name) const {
    return slot.tag == static_cast<uint32_t>(mixed >> 32) && names_[slot.item] == name;
  }

  const NameArena& names_;
  std::vector<Slot> slots_;
  size_t mask_ = 0;
};

// Each name's nearest listed ancestor (-1: none) and depth (its dots).
void FindParents(const std::vector<LabelItem>& items, std::vector<int32_t>& parent,
                 std::vector<int32_t>& depth) {
  const size_t n = items.size();
  const NameArena names(items);
  NameTable table(names);
  // Hashes first, so that the table slot of the name kAhead further on can be prefetched while
  // this one is looked up: the table is larger than the cache and every probe is a miss
  // otherwise (this halved the 1.5M-name forest's build).
  constexpr size_t kAhead = 16;
  std::vector<uint64_t> hash = HugeVector<uint64_t>(n);
  std::vector<uint64_t> nearest = HugeVector<uint64_t>(n);  // hash of the longest proper suffix
  std::vector<Suffix> suffixes;
  for (size_t i = 0; i < n; ++i) {
    suffixes.clear();
    hash[i] = HashSuffixes(names[i], &suffixes);
    depth[i] = static_cast<int32_t>(suffixes.size());
    if (!suffixes.empty()) nearest[i] = suffixes.back().hash;
  }
  for (size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) table.Prefetch(hash[i + kAhead]);
    table.Insert(static_cast<int32_t>(i), hash[i]);
  }
  for (size_t i = 0; i < n; ++i) {
    if (i + kAhead < n && depth[i + kAhead] > 0) table.Prefetch(nearest[i + kAhead]);
    if (depth[i] == 0) continue;
    std::string_view name = names[i];
    suffixes.clear();
    HashSuffixes(name, &suffixes);
    // Longest suffix first: the nearest ancestor.
    for (size_t k = suffixes.size(); k-- > 0;) {
      int32_t found = table.Find(name.substr(suffixes[k].start), suffixes[k].hash);
      if (found >= 0) {
        parent[i] = found;
        break;
      }
    }
  }
}

// Item indices by depth, deepest first, input order within a depth (a stable counting sort).
std::vector<int32_t> DeepestFirst(const std::vector<int32_t>& depth) {
  int32_t deepest = 0;
  for (int32_t d : depth) deepest = std::max(deepest, d);
  std::vector<size_t> start(static_cast<size_t>(deepest) + 2, 0);
  for (int32_t d : depth) ++start[static_cast<size_t>(deepest - d) + 1];
  for (size_t k = 1; k < start.size(); ++k) start[k] += start[k - 1];
  std::vector<int32_t> order = HugeVector<int32_t>(depth.size());
  for (size_t i = 0; i < depth.size(); ++i) {
    order[start[static_cast<size_t>(deepest - depth[i])]++] = static_cast<int32_t>(i);
  }
  return order;
}

}  // namespace

LabelForest BuildLabelForest(const std::vector<LabelItem>& items, bool nest,
                             const PreviousKeys* previous, double churn_bonus) {
  const size_t n = items.size();
  std::vector<int32_t> parent_item = HugeVector<int32_t>(n, -1);
  std::vector<int32_t> depth = HugeVector<int32_t>(n, 0);
  if (nest) FindParents(items, parent_item, depth);
  // Deeper names first, so children precede parents (post-order for a forest of chains).
  std::vector<int32_t> order = DeepestFirst(depth);
  std::vector<int32_t> position = HugeVector<int32_t>(n);
  for (size_t p = 0; p < n; ++p) position[order[p]] = static_cast<int32_t>(p);

  LabelForest out;
  AssignHuge(out.forest.parent, n);
  AssignHuge(out.forest.value, n);
  AssignHuge(out.candidate, n);
  AssignHuge(out.subtree_own, n);
  AssignHuge(out.has_children, n);
  const bool churn = previous && !previous->empty();
  for (size_t p = 0; p < n; ++p) {
    const LabelItem& item = items[order[p]];
    int32_t parent = parent_item[order[p]] >= 0 ? position[parent_item[order[p]]] : -1;
    out.forest.parent[p] = parent;
    out.candidate[p] = item.candidate;
    out.subtree_own[p] += item.own;
    double value = out.subtree_own[p];
    if (churn && previous->Contains(item.type, *item.name)) value *= 1.0 + churn_bonus;
    out.forest.value[p] = value;
    if (parent >= 0) {
      out.subtree_own[parent] += out.subtree_own[p];
      out.has_children[parent] = 1;
    }
  }
  return out;
}

}  // namespace mamori::rse::blocklist::internal
