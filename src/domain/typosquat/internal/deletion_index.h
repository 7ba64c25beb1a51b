// DeletionIndex: the brands' deletion neighbourhoods (every string made from a skeleton by
// deleting up to k bytes), stored as 64-bit hashes in one flat open-addressing table, so a
// candidate's neighbourhood is looked up without building a single string: ForEachDeletionHash
// derives the hash of each deletion from prefix hashes in O(1). A hash collision can only add a
// candidate brand, which the caller's edit-distance check then accepts or rejects on the real
// strings, so the index finds everything the string-keyed one did (a 64-bit collision is
// vanishingly rare anyway). Immutable after Finish(); Find() is thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mamori::domain::internal {

// The hash of `s` as a string (a polynomial hash, mixed). Never 0 (0 marks an empty slot).
uint64_t DeletionHash(std::string_view s);

// Calls f(hash) with DeletionHash of `s` and of every string made from it by deleting 1 or up to
// `k` bytes (k is 0, 1 or 2; larger k is treated as 2). A string reached twice ("aab" minus
// either 'a') is reported twice.
void ForEachDeletionHash(std::string_view s, int k, void (*f)(uint64_t, void*), void* context);

template <typename F>
void ForEachDeletionHash(std::string_view s, int k, F&& f) {
  ForEachDeletionHash(
      s, k, [](uint64_t h, void* c) { (*static_cast<F*>(c))(h); }, &f);
}

class DeletionIndex {
 public:
  // Files `id` under `s` (a member of a brand's neighbourhood). Call Finish() before Find().
  void Add(std::string_view s, uint32_t id);
  void Finish();
  // The ids filed under strings with this hash, in the order they were added; empty if none.
  std::span<const uint32_t> Find(uint64_t hash) const {
    if (slots_.empty()) return {};
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.hash == hash) return {ids_.data() + s.begin, s.count};
      if (s.hash == 0) return {};
    }
  }
  size_t size() const { return keys_; }

 private:
  struct Slot {
    uint64_t hash = 0;
    uint32_t begin = 0;
    uint32_t count = 0;
  };
  std::unordered_map<uint64_t, std::vector<uint32_t>> pending_;
  std::vector<Slot> slots_;
  std::vector<uint32_t> ids_;
  size_t mask_ = 0;
  size_t keys_ = 0;
};

}  // namespace mamori::domain::internal
