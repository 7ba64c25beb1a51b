// PdnsAggregator: folds observations into rrsets in memory — one entry per (name, rrtype,
// rdata) with the earliest first_seen, the latest last_seen and the summed count — and hands
// them to a sink in batches of at most `flush_at` distinct rrsets, so memory stays bounded on
// files of any size. An rrset that spans two batches reaches the sink twice; the store's merge
// (store::Store::MergePdns) folds them with the same rule, so the result is the same.
//
// Names and rdata are interned (internal/string_pool.h) and an rrset is a 40-byte entry of an
// open-addressing table keyed by (name id, rrtype, rdata id), found by hash. A batch is handed over sorted by
// (name, rrtype, rdata) — the store's merge order, so it need not sort again — with
// `registered` (the name's registrable domain, registered_cache.h) computed once per name.
// Memory: about 60 bytes per distinct rrset plus the names and rdata while aggregating, and the
// batch itself (~200 bytes per rrset) while the sink runs. Flush sorts rdata on a helper
// thread. Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "domain/pdns/internal/string_pool.h"
#include "domain/pdns/record.h"
#include "domain/pdns/registered_cache.h"
#include "store/domain_records.h"

namespace mamori::domain::pdns {

class PdnsAggregator {
 public:
  // Receives each batch (which it may consume); an error stops the ingest.
  using Sink = std::function<Status(std::vector<store::PdnsRrset>&)>;
  // Large enough that a file of ten million observations (~5 million rrsets) is one batch:
  // one store transaction is much cheaper than several (a first load into an empty store takes
  // the bulk path, store/sqlite/pdns.cc). Measured: 1.8 GiB peak RSS for 10 M observations
  // (4.9 M rrsets, bench/pdns_ingest), so about 3 GiB at the bound.
  static constexpr size_t kDefaultFlushAt = 8'000'000;

  explicit PdnsAggregator(Sink sink, size_t flush_at = kDefaultFlushAt);

  // Adds one observation; flushes when the batch is full. Returns the sink's error.
  Status Add(const PdnsRecord& record);
  // Hands what is pending to the sink (nothing when empty).
  Status Flush();

  size_t pending() const { return entries_.size(); }
  int64_t flushed() const { return flushed_; }  // rrsets handed to the sink so far

 private:
  struct Entry {
    uint32_t name;
    uint32_t rdata;
    uint16_t rrtype;
    UnixSeconds first_seen;
    UnixSeconds last_seen;
    int64_t count;
  };
  static uint64_t HashKey(uint32_t name, uint32_t rdata, uint16_t rrtype);
  void Rehash(size_t capacity);

  Sink sink_;
  size_t flush_at_;
  internal::StringPool names_;
  internal::StringPool rdata_;
  std::vector<Entry> entries_;   // distinct rrsets in arrival order
  // Open addressing: the key hash's upper 32 bits, then entry index + 1; 0 = empty.
  std::vector<uint64_t> slots_;
  RegisteredCache registered_;
  int64_t flushed_ = 0;
};

}  // namespace mamori::domain::pdns
