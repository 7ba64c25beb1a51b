// Portable random draws for the blocklist simulator.
//
// std::mt19937_64 is fully specified by the standard, but the std:: distributions are not: the
// same seed gives different numbers with different standard libraries. Every draw the
// simulator makes therefore goes through the functions here, written out so that a seed means
// the same world everywhere (up to the last bit of libm's log/pow, which IEEE 754 does not pin).
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <string_view>
#include <vector>

namespace mamori::rse::blocklist::sim {

// SplitMix64 finalizer: a bijection on 64-bit values with good avalanche.
inline uint64_t Mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// Seed of an independent stream: changing how many numbers one phase draws (say, the attempt
// count) leaves the other phases' draws unchanged.
inline uint64_t StreamSeed(uint64_t seed, std::string_view stream) {
  uint64_t h = 0xCBF29CE484222325ull;  // FNV-1a of the stream name
  for (char c : stream) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001B3ull;
  return Mix64(seed ^ Mix64(h));
}

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}

  uint64_t Next() { return engine_(); }
  // Uniform in [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
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
  int64_t Between(int64_t lo, int64_t hi) {  // inclusive
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo + 1)));
  }
  bool Bernoulli(double p) { return Uniform() < p; }
  // Exponential with the given mean (inverse CDF).
  double Exponential(double mean) { return -mean * std::log1p(-Uniform()); }

 private:
  std::mt19937_64 engine_;
};

// Fisher–Yates shuffle with Rng::Below.
template <typename T>
void Shuffle(std::vector<T>& values, Rng& rng) {
  for (size_t i = values.size(); i > 1; --i) {
    size_t j = rng.Below(i);
    std::swap(values[i - 1], values[j]);
  }
}

// Zipf weight of a 1-based rank: rank^(−s).
inline double ZipfWeight(uint64_t rank, double exponent) {
  return std::pow(static_cast<double>(rank), -exponent);
}

// Walker/Vose alias table: O(1) draws from a fixed discrete distribution. Zero-weight outcomes
// are never drawn. Built deterministically (no hashing, fixed work-list order).
class AliasTable {
 public:
  AliasTable() = default;
  explicit AliasTable(const std::vector<double>& weights);

  bool empty() const { return prob_.empty(); }
  double total() const { return total_; }
  uint32_t Sample(Rng& rng) const {
    uint64_t i = rng.Below(prob_.size());
    return rng.Uniform() < prob_[i] ? static_cast<uint32_t>(i) : alias_[i];
  }

 private:
  std::vector<double> prob_;
  std::vector<uint32_t> alias_;
  double total_ = 0;
};

}  // namespace mamori::rse::blocklist::sim
