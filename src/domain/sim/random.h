// Seeded random draws for the domain world generator (domain/sim/world.h).
//
// std::mt19937_64 is fully specified by the standard, but the std:: distributions are not: the
// same seed would give different worlds with different standard libraries. Every draw therefore
// goes through the small hand-written distributions here. (rse/blocklist/sim/random.h has the
// same idea, but the domain library cannot depend on rse.) Not thread-safe: one Rng per stream.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <string_view>
#include <vector>

namespace mamori::domain::sim {

// SplitMix64 finalizer: a bijection on 64-bit values with good avalanche.
inline uint64_t Mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// Seed of an independent stream, so that how many numbers one phase draws does not shift the
// draws of the others (FNV-1a of the name, mixed with the seed).
inline uint64_t StreamSeed(uint64_t seed, std::string_view stream) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : stream) h = (h ^ c) * 0x100000001b3ull;
  return Mix64(seed ^ Mix64(h));
}

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}
  Rng(uint64_t seed, std::string_view stream) : engine_(StreamSeed(seed, stream)) {}

  uint64_t Next() { return engine_(); }
  // Uniform in [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, n), n > 0; unbiased (Lemire's multiply-and-reject).
  uint64_t Below(uint64_t n) {
    unsigned __int128 m = static_cast<unsigned __int128>(engine_()) * n;
    auto low = static_cast<uint64_t>(m);
    if (low < n) {
      uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<unsigned __int128>(engine_()) * n;
        low = static_cast<uint64_t>(m);
      }
    }
    return static_cast<uint64_t>(m >> 64);
  }
  // Uniform integer in [lo, hi] (inclusive); lo when hi < lo.
  int Between(int lo, int hi) {
    if (hi <= lo) return lo;
    return lo + static_cast<int>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }
  bool Chance(double p) { return Uniform() < p; }
  // Pareto-tailed lag: min + scale * (U^(-1/alpha) - 1), capped; heavy tail for alpha near 1.
  int HeavyTail(int min, double scale, double alpha, int cap) {
    double u = 1.0 - Uniform();  // (0, 1]
    double x = min + scale * (std::pow(u, -1.0 / alpha) - 1.0);
    return x > cap ? cap : static_cast<int>(x);
  }
  // Index drawn with probability proportional to weights[i] (linear; for short lists).
  size_t Weighted(const std::vector<double>& weights) {
    double total = 0;
    for (double w : weights) total += w;
    double x = Uniform() * total;
    for (size_t i = 0; i < weights.size(); ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return weights.size() - 1;
  }
  template <typename T>
  const T& Pick(const std::vector<T>& values) {
    return values[Below(values.size())];
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace mamori::domain::sim
