#include "domain/typosquat/internal/deletion_index.h"

#include <algorithm>
#include <array>
#include <bit>
#include <string>

namespace mamori::domain::internal {

namespace {

constexpr uint64_t kBase = 0x100000001b3ULL;  // odd: multiplication by it is invertible mod 2^64

// Bytes are hashed as byte + 1 so a NUL byte still counts.
uint64_t Code(char c) { return static_cast<unsigned char>(c) + 1ULL; }

// The final mix (murmur3's fmix64 over the raw hash and the length): the raw polynomial hash of
// short strings is poorly spread over the low bits the table uses.
uint64_t Mix(uint64_t raw, size_t length) {
  uint64_t h = raw ^ (static_cast<uint64_t>(length) * 0x9e3779b97f4a7c15ULL);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h == 0 ? 1 : h;
}

constexpr size_t kMaxFast = 256;  // labels are at most 63 octets (252 in UTF-8 skeletons)

const std::array<uint64_t, kMaxFast + 1>& Powers() {
  static const auto powers = [] {
    std::array<uint64_t, kMaxFast + 1> p{};
    p[0] = 1;
    for (size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * kBase;
    return p;
  }();
  return powers;
}

}  // namespace

uint64_t DeletionHash(std::string_view s) {
  uint64_t h = 0;
  for (char c : s) h = h * kBase + Code(c);
  return Mix(h, s.size());
}

void ForEachDeletionHash(std::string_view s, int k, void (*f)(uint64_t, void*), void* context) {
  const size_t n = s.size();
  if (n > kMaxFast) {
    // Not reached for DNS labels; the plain way keeps the contract for any input.
    std::string buffer;
    f(DeletionHash(s), context);
    if (k <= 0) return;
    for (size_t i = 0; i < n; ++i) {
      buffer.assign(s.substr(0, i)).append(s.substr(i + 1));
      f(DeletionHash(buffer), context);
      if (k < 2) continue;
      for (size_t j = i + 1; j < n; ++j) {
        std::string two(s.substr(0, i));
        two.append(s.substr(i + 1, j - i - 1)).append(s.substr(j + 1));
        f(DeletionHash(two), context);
      }
    }
    return;
  }
  const auto& pw = Powers();
  // prefix[i]: raw hash of s[0, i).
  std::array<uint64_t, kMaxFast + 1> prefix;
  prefix[0] = 0;
  for (size_t i = 0; i < n; ++i) prefix[i + 1] = prefix[i] * kBase + Code(s[i]);
  // Raw hash of s[a, b).
  auto sub = [&](size_t a, size_t b) { return prefix[b] - prefix[a] * pw[b - a]; };
  f(Mix(prefix[n], n), context);
  if (k <= 0 || n == 0) return;
  for (size_t i = 0; i < n; ++i) {
    // s[0, i) + s[i + 1, n)
    f(Mix(prefix[i] * pw[n - 1 - i] + sub(i + 1, n), n - 1), context);
    if (k < 2) continue;
    for (size_t j = i + 1; j < n; ++j) {
      // s[0, i) + s[i + 1, j) + s[j + 1, n)
      const uint64_t raw =
          prefix[i] * pw[n - 2 - i] + sub(i + 1, j) * pw[n - 1 - j] + sub(j + 1, n);
      f(Mix(raw, n - 2), context);
    }
  }
}

void DeletionIndex::Add(std::string_view s, uint32_t id) {
  auto& ids = pending_[DeletionHash(s)];
  for (uint32_t x : ids) {
    if (x == id) return;
  }
  ids.push_back(id);
}

void DeletionIndex::Finish() {
  keys_ = pending_.size();
  // At most half full, so a miss ends after a probe or two.
  const size_t capacity = std::bit_ceil(std::max<size_t>(16, keys_ * 2));
  slots_.assign(capacity, Slot{});
  mask_ = capacity - 1;
  ids_.clear();
  for (auto& [hash, ids] : pending_) {
    size_t i = hash & mask_;
    while (slots_[i].hash != 0) i = (i + 1) & mask_;
    slots_[i] = {hash, static_cast<uint32_t>(ids_.size()), static_cast<uint32_t>(ids.size())};
    ids_.insert(ids_.end(), ids.begin(), ids.end());
  }
  pending_.clear();
}

}  // namespace mamori::domain::internal
