#include "rse/detect/indicator_lookup.h"

#include <algorithm>

#include "core/domain_name.h"
#include "core/indicator.h"
#include "core/ip.h"
#include "rse/ingest/event.h"

namespace mamori::rse::detect {
namespace {

bool AnyOf(const std::vector<std::string>& listing, const std::vector<std::string>& wanted) {
  if (listing.empty()) return false;
  if (wanted.empty()) return true;
  for (const auto& s : listing) {
    if (std::find(wanted.begin(), wanted.end(), s) != wanted.end()) return true;
  }
  return false;
}

// The names to look up for a domain: itself and its parents, not public suffixes.
std::vector<std::string> DomainChain(std::string_view value) {
  std::vector<std::string> out;
  auto name = DomainName::Parse(value);
  if (!name) return out;
  std::optional<std::string> current = name->name();
  while (current) {
    auto d = DomainName::Parse(*current);
    if (!d || d->IsPublicSuffix()) break;
    out.push_back(*current);
    current = d->Parent();
  }
  return out;
}

}  // namespace

void SetIndicatorLookup::Add(std::string_view value, std::string_view source) {
  if (value.find('/') != std::string_view::npos && Cidr::Parse(value)) {
    if (value.find("://") == std::string_view::npos) {
      cidrs_.emplace_back(std::string(value), std::string(source));
      return;
    }
  }
  auto n = NormalizeIndicator(value);
  std::string key = n ? n->indicator.value : std::string(value);
  listed_[key].emplace_back(source);
}

bool SetIndicatorLookup::IsListed(IntelKind kind, std::string_view value,
                                  const std::vector<std::string>& sources) {
  if (kind == IntelKind::kAddress) {
    auto ip = ingest::ParseEventAddress(value);
    if (!ip) return false;
    if (auto it = listed_.find(ip->ToString()); it != listed_.end() && AnyOf(it->second, sources)) {
      return true;
    }
    for (const auto& [text, source] : cidrs_) {
      if (Cidr::Parse(text)->cidr.Contains(*ip) && AnyOf({source}, sources)) return true;
    }
    return false;
  }
  if (kind == IntelKind::kDomain) {
    for (const auto& name : DomainChain(value)) {
      if (auto it = listed_.find(name); it != listed_.end() && AnyOf(it->second, sources)) {
        return true;
      }
    }
    return false;
  }
  auto n = NormalizeIndicator(value, IndicatorType::kUrl);
  if (!n) return false;
  auto it = listed_.find(n->indicator.value);
  return it != listed_.end() && AnyOf(it->second, sources);
}

StoreIndicatorLookup::StoreIndicatorLookup(store::Store& store, size_t max_cache)
    : store_(store), max_cache_(max_cache) {}

void StoreIndicatorLookup::AddOpen(const store::IndicatorHistory& h,
                                   std::vector<std::string>& out) {
  for (const auto& interval : h.intervals) {
    if (interval.delisted_at != 0) continue;
    if (!enabled_sources_.count(interval.source_name)) continue;
    if (std::find(out.begin(), out.end(), interval.source_name) == out.end()) {
      out.push_back(interval.source_name);
    }
  }
}

std::vector<std::string> StoreIndicatorLookup::ListingSources(IntelKind kind,
                                                              std::string_view value) {
  std::vector<std::string> out;
  if (!sources_loaded_) {
    sources_loaded_ = true;
    auto sources = store_.ListSources();
    if (!sources) {
      ++errors_;
    } else {
      for (const auto& s : *sources) {
        if (s.enabled) enabled_sources_.insert(s.name);
      }
    }
  }
  auto lookup = [&](IndicatorType type, const std::string& normalized) {
    auto h = store_.Lookup(Indicator{type, normalized});
    if (!h) {
      ++errors_;
    } else if (*h) {
      AddOpen(**h, out);
    }
  };
  if (kind == IntelKind::kAddress) {
    auto ip = ingest::ParseEventAddress(value);
    if (!ip) return out;
    std::string text = ip->ToString();
    lookup(ip->is_v4() ? IndicatorType::kIpv4 : IndicatorType::kIpv6, text);
    auto covering = store_.LookupCoveringCidrs(text);
    if (!covering) {
      ++errors_;
    } else {
      for (const auto& h : *covering) AddOpen(h, out);
    }
  } else if (kind == IntelKind::kDomain) {
    for (const auto& name : DomainChain(value)) lookup(IndicatorType::kDomain, name);
  } else {
    auto n = NormalizeIndicator(value, IndicatorType::kUrl);
    if (n) lookup(IndicatorType::kUrl, n->indicator.value);
  }
  return out;
}

bool StoreIndicatorLookup::IsListed(IntelKind kind, std::string_view value,
                                    const std::vector<std::string>& sources) {
  std::string key;
  key.reserve(value.size() + 2);
  key += static_cast<char>('0' + static_cast<int>(kind));
  key += value;
  auto it = cache_.find(key);
  if (it == cache_.end()) {
    if (cache_.size() >= max_cache_) cache_.clear();
    it = cache_.emplace(std::move(key), ListingSources(kind, value)).first;
  }
  return AnyOf(it->second, sources);
}

}  // namespace mamori::rse::detect
