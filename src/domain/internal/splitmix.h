// SplitMix64: the small seeded generator the domain models use wherever a run must be the same on
// every platform (std's distributions are implementation-defined): shuffles, sampled dates, test
// worlds. Not for anything security-related.
#pragma once

#include <cstdint>

namespace mamori::domain::internal {

struct SplitMix64 {
  uint64_t state = 0;
  uint64_t Next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [lo, hi] (modulo bias is negligible for the ranges used here); lo when hi <= lo.
  int64_t Between(int64_t lo, int64_t hi) {
    if (hi <= lo) return lo;
    return lo + static_cast<int64_t>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }
};

}  // namespace mamori::domain::internal
