// EntryIndex: a hash index over the entries of one snapshot, private to the SQLite backend.
//
// ApplySnapshot diffs a source's stored open set (up to millions of rows) against the new
// snapshot. It indexes the snapshot once and streams the open set from SQLite through the
// index, so no stored value is ever copied into a long-lived structure. Two measured choices:
//  - Open addressing over one packed copy of the keys, instead of std::unordered_map: no node
//    per entry (building is 3x+ faster, see BM_EntryIndexBuild vs BM_UnorderedMapBuild), and a
//    probe touches two cache lines (slot, packed key) instead of three (slot, entry, string).
//  - FindBatch(): one probe per SQLite row, interleaved with sqlite3_step(), missed the cache and
//    TLB on every access (3x slower than the same probes back to back). Probing rows in batches
//    with prefetches lets the memory accesses of a batch overlap.
//
// Ownership: copies what it needs from `entries`; the vector may change or go away afterwards.
// Not thread-safe (const methods may be called concurrently).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/records.h"

namespace mamori::store::sqlite {

class EntryIndex {
 public:
  static constexpr uint32_t kNotFound = UINT32_MAX;

  struct Key {
    int type = 0;
    std::string_view value;
  };

  // Indexes `entries` (fewer than 2^32 - 1). An entry equal to an earlier one is a duplicate:
  // it is not indexed, and is_duplicate() says so ("first one wins").
  explicit EntryIndex(const std::vector<ListingEntry>& entries);

  // Position of the (first) entry with this type and value, or kNotFound.
  uint32_t Find(int type, std::string_view value) const;
  // Find() for every key; `positions` must have keys.size() elements.
  void FindBatch(std::span<const Key> keys, std::span<uint32_t> positions) const;

  bool is_duplicate(size_t position) const { return duplicate_[position] != 0; }
  size_t duplicates() const { return duplicates_; }

 private:
  static uint64_t Hash(int type, std::string_view value);
  uint32_t FindHashed(uint64_t hash, int type, std::string_view value) const;
  // Position stored in the packed key at `offset` if it equals (type, value), else kNotFound.
  uint32_t Match(uint64_t offset, int type, std::string_view value) const;

  // Packed keys, one per distinct entry: position (u32), value size (u32), type (u8), value.
  std::string keys_;
  // (hash >> 40) << 40 | (offset into keys_ + 1); 0 = empty. 24 bits of tag avoid almost all
  // key comparisons with a different entry.
  std::vector<uint64_t> slots_;
  uint64_t mask_ = 0;
  std::vector<uint8_t> duplicate_;
  size_t duplicates_ = 0;
};

// Sorts `positions` (into `entries`) by indicator type, then by the first 7 bytes of the value:
// an approximation of the order of the indicators (type, value) index that is much cheaper to
// sort by than the strings themselves. Inserting in this order turns random b-tree inserts into
// nearly sequential ones.
void SortForInsertion(const std::vector<ListingEntry>& entries, std::vector<uint32_t>& positions);

}  // namespace mamori::store::sqlite
