#include "store/sqlite/entry_index.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <functional>

namespace mamori::store::sqlite {

namespace {

constexpr uint64_t kTagMask = ~((uint64_t{1} << 40) - 1);
constexpr uint64_t kOffsetMask = (uint64_t{1} << 40) - 1;
constexpr size_t kHeaderSize = 9;  // position u32, size u32, type u8

}  // namespace

EntryIndex::EntryIndex(const std::vector<ListingEntry>& entries) : duplicate_(entries.size(), 0) {
  size_t bytes = 0;
  for (const ListingEntry& e : entries) bytes += kHeaderSize + e.indicator.value.size();
  keys_.reserve(bytes);
  // Load factor at most 1/2 keeps linear probes short.
  const size_t capacity = std::bit_ceil(std::max<size_t>(16, entries.size() * 2));
  slots_.assign(capacity, 0);
  mask_ = capacity - 1;

  for (size_t i = 0; i < entries.size(); ++i) {
    const Indicator& indicator = entries[i].indicator;
    const int type = static_cast<int>(indicator.type);
    const uint64_t hash = Hash(type, indicator.value);
    for (uint64_t slot = hash & mask_;; slot = (slot + 1) & mask_) {
      const uint64_t current = slots_[slot];
      if (current == 0) {
        const uint64_t offset = keys_.size();
        const auto position = static_cast<uint32_t>(i);
        const auto size = static_cast<uint32_t>(indicator.value.size());
        const auto type_byte = static_cast<char>(type);
        keys_.append(reinterpret_cast<const char*>(&position), 4);
        keys_.append(reinterpret_cast<const char*>(&size), 4);
        keys_.push_back(type_byte);
        keys_.append(indicator.value);
        slots_[slot] = (hash & kTagMask) | (offset + 1);
        break;
      }
      if ((current & kTagMask) == (hash & kTagMask) &&
          Match((current & kOffsetMask) - 1, type, indicator.value) != kNotFound) {
        duplicate_[i] = 1;
        ++duplicates_;
        break;
      }
    }
  }
}

uint32_t EntryIndex::Match(uint64_t offset, int type, std::string_view value) const {
  const char* key = keys_.data() + offset;
  uint32_t position;
  uint32_t size;
  std::memcpy(&position, key, 4);
  std::memcpy(&size, key + 4, 4);
  if (size != value.size() || static_cast<uint8_t>(key[8]) != static_cast<uint8_t>(type) ||
      std::memcmp(key + kHeaderSize, value.data(), size) != 0) {
    return kNotFound;
  }
  return position;
}

uint32_t EntryIndex::FindHashed(uint64_t hash, int type, std::string_view value) const {
  for (uint64_t slot = hash & mask_;; slot = (slot + 1) & mask_) {
    const uint64_t current = slots_[slot];
    if (current == 0) return kNotFound;
    if ((current & kTagMask) == (hash & kTagMask)) {
      const uint32_t position = Match((current & kOffsetMask) - 1, type, value);
      if (position != kNotFound) return position;
    }
  }
}

uint32_t EntryIndex::Find(int type, std::string_view value) const {
  return FindHashed(Hash(type, value), type, value);
}

void EntryIndex::FindBatch(std::span<const Key> keys, std::span<uint32_t> positions) const {
  constexpr size_t kChunk = 64;
  uint64_t hashes[kChunk];
  for (size_t begin = 0; begin < keys.size(); begin += kChunk) {
    const size_t n = std::min(kChunk, keys.size() - begin);
    // Three passes over the chunk, so that the cache misses of one pass overlap each other
    // instead of being taken one after another.
    for (size_t i = 0; i < n; ++i) {
      hashes[i] = Hash(keys[begin + i].type, keys[begin + i].value);
      __builtin_prefetch(&slots_[hashes[i] & mask_]);
    }
    for (size_t i = 0; i < n; ++i) {
      const uint64_t current = slots_[hashes[i] & mask_];
      if (current != 0) __builtin_prefetch(keys_.data() + (current & kOffsetMask) - 1);
    }
    for (size_t i = 0; i < n; ++i) {
      positions[begin + i] = FindHashed(hashes[i], keys[begin + i].type, keys[begin + i].value);
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

void SortForInsertion(const std::vector<ListingEntry>& entries, std::vector<uint32_t>& positions) {
  std::vector<std::pair<uint64_t, uint32_t>> keyed;
  keyed.reserve(positions.size());
  for (uint32_t position : positions) {
    const Indicator& indicator = entries[position].indicator;
    uint64_t key = static_cast<uint64_t>(indicator.type) & 0xff;
    for (size_t i = 0; i < 7; ++i) {
      key =
          (key << 8) | (i < indicator.value.size() ? static_cast<uint8_t>(indicator.value[i]) : 0);
    }
    keyed.emplace_back(key, position);
  }
  std::sort(keyed.begin(), keyed.end());
  for (size_t i = 0; i < keyed.size(); ++i) positions[i] = keyed[i].second;
}

}  // namespace mamori::store::sqlite
