#include "domain/pdns/aggregator.h"

#include <algorithm>

#include "core/domain_name.h"

namespace mamori::domain::pdns {

PdnsAggregator::PdnsAggregator(Sink sink, size_t flush_at)
    : sink_(std::move(sink)), flush_at_(std::max<size_t>(flush_at, 1)) {
  rrsets_.reserve(std::min<size_t>(flush_at_, 1 << 20));
}

Status PdnsAggregator::Add(const PdnsRecord& record) {
  key_.clear();
  key_.push_back(static_cast<char>(record.rrtype >> 8));
  key_.push_back(static_cast<char>(record.rrtype & 0xff));
  key_.append(record.name);
  key_.push_back('\0');
  key_.append(record.rdata);
  auto it = rrsets_.find(std::string_view(key_));
  if (it != rrsets_.end()) {
    Aggregate& a = it->second;
    a.first_seen = std::min(a.first_seen, record.first_seen);
    a.last_seen = std::max(a.last_seen, record.last_seen);
    a.count += record.count;
    return Ok();
  }
  rrsets_.emplace(key_, Aggregate{record.first_seen, record.last_seen, record.count});
  if (rrsets_.size() >= flush_at_) return Flush();
  return Ok();
}

const std::string& PdnsAggregator::Registered(const std::string& name) {
  auto it = registered_.find(std::string_view(name));
  if (it != registered_.end()) return it->second;
  std::string registered;
  // Names were validated by the readers; one that no longer parses simply has none.
  if (auto parsed = DomainName::Parse(name)) registered = parsed->RegisteredDomain().value_or("");
  return registered_.emplace(name, std::move(registered)).first->second;
}

Status PdnsAggregator::Flush() {
  if (rrsets_.empty()) return Ok();
  std::vector<store::PdnsRrset> batch;
  batch.reserve(rrsets_.size());
  for (auto node = rrsets_.begin(); node != rrsets_.end(); node = rrsets_.erase(node)) {
    const std::string& key = node->first;
    size_t zero = key.find('\0', 2);
    store::PdnsRrset& rr = batch.emplace_back();
    rr.rrtype =
        static_cast<uint16_t>((static_cast<uint8_t>(key[0]) << 8) | static_cast<uint8_t>(key[1]));
    rr.name.assign(key, 2, zero - 2);
    rr.rdata.assign(key, zero + 1);
    rr.registered = Registered(rr.name);
    rr.first_seen = node->second.first_seen;
    rr.last_seen = node->second.last_seen;
    rr.count = node->second.count;
  }
  // Names come back in later batches (the same name with other rdata, or its rrset again): the
  // cache outlives a batch, up to a bound on its memory.
  if (registered_.size() > kRegisteredCacheSize) registered_.clear();
  flushed_ += static_cast<int64_t>(batch.size());
  return sink_(batch);
}

}  // namespace mamori::domain::pdns
