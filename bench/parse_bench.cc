// Feed parsing speed: parse + normalize + Deduplicate() of million-line feeds on one core.
// Goal (issue 3): at least 1,000,000 lines/s for a plain IPv4 feed and a plain domain feed.
// items_per_second is lines per second. Inputs are generated once per process from a fixed
// seed, so runs compare like with like.
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include "feeds/parser.h"

namespace {

using mamori::feeds::Deduplicate;
using mamori::feeds::FeedFormat;
using mamori::feeds::MakeParser;
using mamori::feeds::ParsedFeed;

constexpr size_t kLines = 1'000'000;

std::string Header() {
  return "# Generated benchmark feed\n# Fixed seed; see bench/parse_bench.cc\n\n";
}

std::string MakeIpv4Feed() {
  std::mt19937_64 rng(20240101);
  std::string body = Header();
  body.reserve(kLines * 16);
  for (size_t i = 0; i < kLines; ++i) {
    uint64_t r = rng();
    body += std::to_string(1 + (r & 0xFF) % 223) + '.' + std::to_string((r >> 8) & 0xFF) + '.' +
            std::to_string((r >> 16) & 0xFF) + '.' + std::to_string((r >> 24) & 0xFF) + '\n';
  }
  return body;
}

// Realistic blocklist names: one to three random labels under a common TLD; 1% IDN (Unicode
// labels that go through IDNA), 3% upper case, 2% with a trailing dot.
std::string MakeDomainFeed() {
  static constexpr std::array<std::string_view, 14> kTlds = {
      "com", "net", "org", "ru",     "info", "xyz",   "top",
      "io",  "de",  "cn",  "online", "site", "co.uk", "com.br"};
  static constexpr std::array<std::string_view, 6> kUnicode = {"bücher",  "пример",     "例え",
                                                               "münchen", "παράδειγμα", "café"};
  static constexpr std::string_view kChars = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::mt19937_64 rng(424242);
  auto label = [&](std::string& out) {
    size_t len = 3 + rng() % 12;
    for (size_t i = 0; i < len; ++i) {
      char c = kChars[rng() % kChars.size()];
      // Hyphens only where IDNA allows them in any label: not first, last, or in
      // positions 3-4 ("xn--" style).
      if (i > 4 && i + 1 < len && out.back() != '-' && rng() % 20 == 0) c = '-';
      out.push_back(c);
    }
  };
  std::string body = Header();
  body.reserve(kLines * 24);
  std::string name;
  for (size_t i = 0; i < kLines; ++i) {
    name.clear();
    uint64_t r = rng() % 100;
    size_t labels = 1 + rng() % 3;
    for (size_t l = 0; l < labels; ++l) {
      if (l == 0 && r == 0) {
        name += kUnicode[rng() % kUnicode.size()];
        name.push_back('-');
      }
      label(name);
      name.push_back('.');
    }
    name += kTlds[rng() % kTlds.size()];
    if (r >= 1 && r < 4) {
      for (char& c : name) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
      }
    }
    if (r >= 4 && r < 6) name.push_back('.');
    body += name;
    body.push_back('\n');
  }
  return body;
}

// FireHOL-style netset: prefixes /8../32, a tenth written with host bits set.
std::string MakeNetsetFeed() {
  std::mt19937_64 rng(77);
  std::string body = Header();
  body.reserve(kLines * 20);
  for (size_t i = 0; i < kLines; ++i) {
    uint64_t r = rng();
    int prefix = 8 + static_cast<int>(r % 25);
    uint32_t address = static_cast<uint32_t>(r >> 32);
    if (address >> 24 == 0) address |= 1u << 24;
    if (rng() % 10 != 0 && prefix < 32) address &= ~((1u << (32 - prefix)) - 1);
    body += std::to_string(address >> 24) + '.' + std::to_string((address >> 16) & 0xFF) + '.' +
            std::to_string((address >> 8) & 0xFF) + '.' + std::to_string(address & 0xFF) + '/' +
            std::to_string(prefix) + '\n';
  }
  return body;
}

void RunParse(benchmark::State& state, FeedFormat format, const std::string& body) {
  auto parser = MakeParser(format, {});
  if (!parser) {
    state.SkipWithError(parser.error().message.c_str());
    return;
  }
  size_t entries = 0;
  for (auto _ : state) {
    ParsedFeed feed;
    if (!(*parser)->Parse(body, "bench", feed)) {
      state.SkipWithError("parse failed");
      return;
    }
    Deduplicate(feed);
    entries = feed.entries.size();
    if (feed.report.invalid != 0) {
      const auto& first = feed.report.first_errors.front();
      static std::string message;  // SkipWithError keeps the pointer
      message = "generated feed has " + std::to_string(feed.report.invalid) +
                " invalid lines, e.g. line " + std::to_string(first.line) + " '" + first.excerpt +
                "': " + first.reason;
      state.SkipWithError(message.c_str());
      return;
    }
    state.PauseTiming();  // freeing a million strings is not parsing
    { ParsedFeed drop = std::move(feed); }
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kLines));
  state.counters["entries"] = static_cast<double>(entries);
}

void BM_PlainIpv4(benchmark::State& state) {
  static const std::string body = MakeIpv4Feed();
  RunParse(state, FeedFormat::kPlain, body);
}

void BM_PlainDomains(benchmark::State& state) {
  static const std::string body = MakeDomainFeed();
  RunParse(state, FeedFormat::kPlain, body);
}

void BM_Netset(benchmark::State& state) {
  static const std::string body = MakeNetsetFeed();
  RunParse(state, FeedFormat::kNetset, body);
}

BENCHMARK(BM_PlainIpv4)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_PlainDomains)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_Netset)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
