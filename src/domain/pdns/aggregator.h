// PdnsAggregator: folds observations into rrsets in memory — one entry per (name, rrtype,
// rdata) with the earliest first_seen, the latest last_seen and the summed count — and hands
// them to a sink in batches of at most `flush_at` distinct rrsets, so memory stays bounded on
// files of any size. An rrset that spans two batches reaches the sink twice; the store's merge
// (store::Store::MergePdns) folds them with the same rule, so the result is the same.
//
// `registered` (the name's registrable domain under the PSL) is computed once per distinct name
// while it stays in a bounded cache. Memory: the batch (~150 bytes per distinct rrset) and the
// cache. Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "domain/pdns/record.h"
#include "store/domain_records.h"

namespace mamori::domain::pdns {

class PdnsAggregator {
 public:
  // Receives each batch (which it may consume); an error stops the ingest.
  using Sink = std::function<Status(std::vector<store::PdnsRrset>&)>;
  static constexpr size_t kDefaultFlushAt = 1'000'000;

  explicit PdnsAggregator(Sink sink, size_t flush_at = kDefaultFlushAt);

  // Adds one observation; flushes when the batch is full. Returns the sink's error.
  Status Add(const PdnsRecord& record);
  // Hands what is pending to the sink (nothing when empty).
  Status Flush();

  size_t pending() const { return rrsets_.size(); }
  int64_t flushed() const { return flushed_; }  // rrsets handed to the sink so far

 private:
  struct Aggregate {
    UnixSeconds first_seen;
    UnixSeconds last_seen;
    int64_t count;
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>()(key); }
  };
  const std::string& Registered(const std::string& name);

  Sink sink_;
  size_t flush_at_;
  // One string key per rrset — two bytes of rrtype, the name, '\0', the rdata (names never hold
  // '\0') — so a record costs one hash lookup. Interning names and rdata into numbers first was
  // measured slower: three lookups, each a cache miss on a table of a million entries.
  std::unordered_map<std::string, Aggregate, Hash, std::equal_to<>> rrsets_;
  // Name → registered domain (a PSL lookup costs about a microsecond), at most about
  // kRegisteredCacheSize names (~130 bytes each).
  static constexpr size_t kRegisteredCacheSize = 2'000'000;
  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> registered_;
  std::string key_;  // reused
  int64_t flushed_ = 0;
};

}  // namespace mamori::domain::pdns
