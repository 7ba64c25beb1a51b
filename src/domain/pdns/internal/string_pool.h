// StringPool: interns strings into dense ids 0, 1, 2, … (one arena, an open-addressing table).
// Used by the passive DNS aggregator so that an rrset is three integers rather than two heap
// strings. A lookup touches two cache lines at most: the slot, which holds 24 bits of the hash
// and the string's arena offset, and the arena, where the id and length sit just before the
// bytes (millions of distinct names: every other access would be a cache miss). Views returned
// by Get stay valid until the next Intern or Clear.
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/pdns/internal/huge_pages.h"

namespace mamori::domain::pdns::internal {

class StringPool {
 public:
  StringPool() { Clear(); }

  uint32_t Intern(std::string_view text) {
    const uint64_t hash = std::hash<std::string_view>()(text);
    const uint64_t tag = hash >> 40;
    const size_t mask = slots_.size() - 1;
    size_t i = hash & mask;
    for (;; i = (i + 1) & mask) {
      const uint64_t slot = slots_[i];
      if (slot == 0) break;
      if ((slot >> 40) != tag) continue;
      const char* at = arena_.data() + ((slot & kOffsetMask) - 1);
      Header header;
      std::memcpy(&header, at, sizeof header);
      if (header.size == text.size() &&
          std::memcmp(at + sizeof header, text.data(), text.size()) == 0) {
        return header.id;
      }
    }
    const auto id = static_cast<uint32_t>(offsets_.size());
    const uint64_t offset = arena_.size();
    offsets_.push_back(offset);
    Header header{id, static_cast<uint32_t>(text.size())};
    arena_.append(reinterpret_cast<const char*>(&header), sizeof header);
    arena_.append(text);
    arena_.push_back('\0');  // C APIs (libpsl) can use the string in place
    slots_[i] = tag << 40 | (offset + 1);
    if (offsets_.size() * 2 > slots_.size()) Rehash(slots_.size() * 2);  // load <= 1/2
    return id;
  }

  std::string_view Get(uint32_t id) const {
    const char* at = arena_.data() + offsets_[id];
    Header header;
    std::memcpy(&header, at, sizeof header);
    return {at + sizeof header, header.size};
  }
  size_t size() const { return offsets_.size(); }

  void Clear() {
    offsets_.clear();
    offsets_.shrink_to_fit();
    arena_.clear();
    arena_.shrink_to_fit();
    slots_.assign(1024, 0);
  }

 private:
  struct Header {
    uint32_t id;
    uint32_t size;
  };
  static constexpr uint64_t kOffsetMask = (uint64_t{1} << 40) - 1;  // arenas below 1 TiB

  void Rehash(size_t capacity) {
    AssignZeroed(slots_, capacity);
    const size_t mask = capacity - 1;
    for (uint32_t id = 0; id < offsets_.size(); ++id) {
      const uint64_t hash = std::hash<std::string_view>()(Get(id));
      size_t i = hash & mask;
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = (hash >> 40) << 40 | (offsets_[id] + 1);
    }
  }

  std::vector<uint64_t> offsets_;  // id → arena offset of its header
  std::string arena_;
  std::vector<uint64_t> slots_;  // hash >> 40 in the top 24 bits, offset + 1 below; 0 = empty
};

}  // namespace mamori::domain::pdns::internal
