// EntryIndex: a hash index over the entries of one snapshot, private to the SQLite backend.
//
// ApplySnapshot diffs a source's stored open set (up to millions of rows) against the new
// snapshot. It indexes the snapshot once and streams the open set from SQLite through Find(),
// so no stored value is ever copied into memory. The index is an open-addressing table of
// 32-bit entry positions plus 32 bits of hash: one allocation for the whole snapshot, where a
// std::unordered_map would allocate a node per entry (measured: building the index for 1M
// entries takes about a third of the time of unordered_map, see bench/store_bench.cc).
//
// Ownership: borrows `entries`, which must outlive the index and not change. Not thread-safe.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "store/records.h"

namespace mamori::store::sqlite {

class EntryIndex {
 public:
  static constexpr uint32_t kNotFound = UINT32_MAX;

  // Indexes `entries` (fewer than 2^32 - 1). An entry equal to an earlier one is a duplicate:
  // it is not indexed, and is_duplicate() says so ("first one wins").
  explicit EntryIndex(const std::vector<ListingEntry>& entries);

  // Position of the (first) entry with this type and value, or kNotFound.
  uint32_t Find(int type, std::string_view value) const;
  bool is_duplicate(size_t position) const { return duplicate_[position] != 0; }
  size_t duplicates() const { return duplicates_; }

 private:
  static uint64_t Hash(int type, std::string_view value);

  const std::vector<ListingEntry>& entries_;
  std::vector<uint64_t> slots_;  // (hash >> 32) << 32 | (position + 1); 0 = empty
  uint64_t mask_ = 0;
  std::vector<uint8_t> duplicate_;
  size_t duplicates_ = 0;
};

}  // namespace mamori::store::sqlite
