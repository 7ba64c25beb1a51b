#include "domain/pdns/aggregator.h"

#include <algorithm>
#include <numeric>
#include <thread>
#include <utility>

#include "domain/pdns/internal/huge_pages.h"

namespace mamori::domain::pdns {
namespace {

constexpr size_t kInitialSlots = 1 << 16;
// The registered-domain cache is per parent name (a few per registered domain): bounded anyway.
constexpr size_t kMaxCachedParents = 1'000'000;

// Ranks of a pool's strings in byte order: rank[id]. The first eight bytes are compared as one
// big-endian integer kept in the array, so most comparisons touch no string (sorting millions
// of names is otherwise dominated by cache misses on them).
std::vector<uint32_t> SortedRanks(const internal::StringPool& pool) {
  struct Keyed {
    uint64_t prefix;
    uint32_t id;
  };
  std::vector<Keyed> keyed(pool.size());
  for (uint32_t id = 0; id < pool.size(); ++id) {
    std::string_view text = pool.Get(id);
    uint64_t prefix = 0;
    for (size_t b = 0; b < 8; ++b) {
      prefix = prefix << 8 | (b < text.size() ? static_cast<uint8_t>(text[b]) : 0u);
    }
    keyed[id] = {prefix, id};
  }
  std::sort(keyed.begin(), keyed.end(), [&](const Keyed& a, const Keyed& b) {
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    return pool.Get(a.id) < pool.Get(b.id);  // names and rdata hold no NUL: padding is safe
  });
  std::vector<uint32_t> rank(keyed.size());
  for (uint32_t r = 0; r < keyed.size(); ++r) rank[keyed[r].id] = r;
  return rank;
}

}  // namespace

PdnsAggregator::PdnsAggregator(Sink sink, size_t flush_at)
    : sink_(std::move(sink)), flush_at_(std::max<size_t>(flush_at, 1)) {
  slots_.assign(kInitialSlots, 0);
}

uint64_t PdnsAggregator::HashKey(uint32_t name, uint32_t rdata, uint16_t rrtype) {
  uint64_t x = (uint64_t{name} << 32 | rdata) ^ (uint64_t{rrtype} << 48) * 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

void PdnsAggregator::Rehash(size_t capacity) {
  internal::AssignZeroed(slots_, capacity);
  const size_t mask = capacity - 1;
  for (uint32_t index = 0; index < entries_.size(); ++index) {
    const Entry& e = entries_[index];
    const uint64_t hash = HashKey(e.name, e.rdata, e.rrtype);
    size_t i = hash & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = (hash >> 32) << 32 | (index + 1);
  }
}

Status PdnsAggregator::Add(const PdnsRecord& record) {
  const uint32_t name = names_.Intern(record.name);
  const uint32_t rdata = rdata_.Intern(record.rdata);
  const uint64_t hash = HashKey(name, rdata, record.rrtype);
  const size_t mask = slots_.size() - 1;
  size_t i = hash & mask;
  for (;; i = (i + 1) & mask) {
    const uint64_t slot = slots_[i];
    if (slot == 0) break;
    // The slot's upper half is the hash's: most other keys are told apart without reading
    // their entry (a cache miss each).
    if ((slot >> 32) != (hash >> 32)) continue;
    Entry& e = entries_[(slot & 0xffffffffu) - 1];
    if (e.name == name && e.rdata == rdata && e.rrtype == record.rrtype) {
      e.first_seen = std::min(e.first_seen, record.first_seen);
      e.last_seen = std::max(e.last_seen, record.last_seen);
      e.count += record.count;
      return Ok();
    }
  }
  if (entries_.size() == entries_.capacity()) {
    // Grown by hand so that the new block gets huge pages before it is touched.
    std::vector<Entry> bigger;
    const size_t capacity = std::max<size_t>(entries_.capacity() * 2, 1 << 16);
    bigger.reserve(capacity);
    internal::AdviseHugePages(bigger.data(), capacity * sizeof(Entry));
    bigger.insert(bigger.end(), entries_.begin(), entries_.end());
    entries_.swap(bigger);
  }
  entries_.push_back(
      Entry{name, rdata, record.rrtype, record.first_seen, record.last_seen, record.count});
  slots_[i] = (hash >> 32) << 32 | entries_.size();
  // Load factor at most 1/2: linear probing stays short.
  if (entries_.size() * 2 > slots_.size()) Rehash(slots_.size() * 2);
  if (entries_.size() >= flush_at_) return Flush();
  return Ok();
}

Status PdnsAggregator::Flush() {
  if (entries_.empty()) return Ok();
  // The store merges in (name, rrtype, rdata) order; sorting ids by rank here (integers) is
  // much cheaper than sorting the rrsets' strings there.
  // The two sorts are independent: rdata on a helper thread (the reader thread is done by now,
  // so the second core is free).
  std::vector<uint32_t> rdata_rank;
  std::thread rdata_sorter([&] { rdata_rank = SortedRanks(rdata_); });
  const std::vector<uint32_t> name_rank = SortedRanks(names_);
  rdata_sorter.join();
  std::vector<std::pair<uint64_t, uint64_t>> order(entries_.size());
  for (uint32_t index = 0; index < entries_.size(); ++index) {
    const Entry& e = entries_[index];
    order[index] = {uint64_t{name_rank[e.name]} << 16 | e.rrtype,
                    uint64_t{rdata_rank[e.rdata]} << 32 | index};
  }
  std::sort(order.begin(), order.end());

  std::vector<store::PdnsRrset> batch(entries_.size());
  // Fills batch[from, to); `cache` is the thread's own (RegisteredCache is not thread-safe; the
  // PSL context behind it is read-only and shared).
  auto fill = [&](size_t from, size_t to, RegisteredCache& cache) {
    uint32_t previous_name = UINT32_MAX;
    std::string registered;
    for (size_t k = from; k < to; ++k) {
      const Entry& e = entries_[order[k].second & 0xffffffffu];
      store::PdnsRrset& rr = batch[k];
      rr.name.assign(names_.Get(e.name));
      if (e.name != previous_name) {
        registered.assign(cache.Get(rr.name));
        previous_name = e.name;
      }
      rr.registered = registered;
      rr.rrtype = e.rrtype;
      rr.rdata.assign(rdata_.Get(e.rdata));
      rr.first_seen = e.first_seen;
      rr.last_seen = e.last_seen;
      rr.count = e.count;
    }
  };
  // Copying millions of strings and asking the PSL once per name is most of a flush: a large
  // batch is built in two halves, the second on a helper thread.
  constexpr size_t kParallelFrom = 100'000;
  if (order.size() >= kParallelFrom) {
    const size_t mid = order.size() / 2;
    RegisteredCache helper_cache;
    std::thread helper([&] { fill(mid, order.size(), helper_cache); });
    fill(0, mid, registered_);
    helper.join();
  } else {
    fill(0, order.size(), registered_);
  }
  // The batch holds its own strings: aggregation memory goes back before the sink runs.
  entries_.clear();
  entries_.shrink_to_fit();
  slots_.assign(kInitialSlots, 0);
  slots_.shrink_to_fit();
  names_.Clear();
  rdata_.Clear();
  if (registered_.parents() > kMaxCachedParents) registered_.Clear();
  flushed_ += static_cast<int64_t>(batch.size());
  return sink_(batch);
}

}  // namespace mamori::domain::pdns
