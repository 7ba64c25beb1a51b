#include "store/sqlite/entry_index.h"

#include <bit>
#include <functional>

namespace mamori::store::sqlite {

EntryIndex::EntryIndex(const std::vector<ListingEntry>& entries)
    : entries_(entries), duplicate_(entries.size(), 0) {
  // Load factor at most 1/2 keeps linear probes short.
  size_t capacity = std::bit_ceil(std::max<size_t>(16, entries.size() * 2));
  slots_.assign(capacity, 0);
  mask_ = capacity - 1;
  for (size_t i = 0; i < entries.size(); ++i) {
    const Indicator& indicator = entries[i].indicator;
    const int type = static_cast<int>(indicator.type);
    const uint64_t hash = Hash(type, indicator.value);
    const uint64_t tag = hash & 0xffffffff00000000ULL;
    for (uint64_t slot = hash & mask_;; slot = (slot + 1) & mask_) {
      const uint64_t current = slots_[slot];
      if (current == 0) {
        slots_[slot] = tag | (i + 1);
        break;
      }
      if ((current & 0xffffffff00000000ULL) == tag) {
        const Indicator& other = entries[(current & 0xffffffffULL) - 1].indicator;
        if (other.type == indicator.type && other.value == indicator.value) {
          duplicate_[i] = 1;
          ++duplicates_;
          break;
        }
      }
    }
  }
}

uint32_t EntryIndex::Find(int type, std::string_view value) const {
  const uint64_t hash = Hash(type, value);
  const uint64_t tag = hash & 0xffffffff00000000ULL;
  for (uint64_t slot = hash & mask_;; slot = (slot + 1) & mask_) {
    const uint64_t current = slots_[slot];
    if (current == 0) return kNotFound;
    if ((current & 0xffffffff00000000ULL) == tag) {
      const uint32_t position = static_cast<uint32_t>((current & 0xffffffffULL) - 1);
      const Indicator& other = entries_[position].indicator;
      if (static_cast<int>(other.type) == type && other.value == value) return position;
    }
  }
}

uint64_t EntryIndex::Hash(int type, std::string_view value) {
  // std::hash<string_view> is a 64-bit murmur-style hash in libstdc++; the type is mixed in
  // with a multiply so equal values of different types land apart. The final multiply-xorshift
  // spreads entropy into both the low bits (slot) and the high bits (tag).
  uint64_t h =
      std::hash<std::string_view>()(value) ^ (static_cast<uint64_t>(type) * 0x9E3779B97F4A7C15ULL);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

}  // namespace mamori::store::sqlite
