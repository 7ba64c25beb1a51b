#include "intel/warninglists.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "core/domain_name.h"
#include "core/ip.h"
#include "intel/internal/embedded_warninglists.h"

namespace mamori::intel {

namespace {

enum class ListKind { kCidr, kDomain, kPlatform };

constexpr std::string_view kBuiltinDir = "data/warninglists";
constexpr std::string_view kFirstBuiltin = "special-ranges";  // its reasons win on overlaps
constexpr std::string_view kPslList = "psl-private";
constexpr std::string_view kPslReason = "shared platform (Public Suffix List private section)";

std::string_view KindName(ListKind kind) {
  switch (kind) {
    case ListKind::kCidr:
      return "cidr";
    case ListKind::kDomain:
      return "domain";
    case ListKind::kPlatform:
      return "platform";
  }
  return "domain";
}

std::string_view DefaultReason(ListKind kind) {
  switch (kind) {
    case ListKind::kCidr:
      return "protected address range";
    case ListKind::kDomain:
      return "popular domain";
    case ListKind::kPlatform:
      return "shared platform";
  }
  return "";
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

AddressValue V6Value(const IpAddress& address) {
  AddressValue v = 0;
  for (uint8_t b : address.bytes()) v = (v << 8) | b;
  return v;
}

// Inclusive numeric range of a network (IPv4 in the low 32 bits).
AddressRange RangeOf(const Cidr& cidr) {
  const IpAddress& net = cidr.network();
  if (net.is_v4()) {
    uint32_t first = net.v4();
    int host_bits = 32 - cidr.prefix();
    uint32_t mask = host_bits >= 32 ? 0xffffffffu : ((uint32_t{1} << host_bits) - 1);
    return {first, first | mask};
  }
  AddressValue first = V6Value(net);
  int host_bits = 128 - cidr.prefix();
  AddressValue mask = host_bits >= 128 ? ~AddressValue{0} : ((AddressValue{1} << host_bits) - 1);
  return {first, first | mask};
}

AddressRange RangeOf(const IpAddress& address) {
  AddressValue v = address.is_v4() ? AddressValue{address.v4()} : V6Value(address);
  return {v, v};
}

// Splits "list: reason" (how origins are stored) into a WarningMatch.
WarningMatch SplitOrigin(const std::string& origin) {
  auto sep = origin.find(": ");
  if (sep == std::string::npos) return {origin, ""};
  return {origin.substr(0, sep), origin.substr(sep + 2)};
}

// Assigns every protected address to one origin: the first list (in load order) that names it,
// and within a list the narrowest range (so 255.255.255.255/32 beats 240.0.0.0/4). Collect the
// ranges, then one sweep in address order with a heap of the ranges covering the current
// address yields disjoint segments, one origin each. O(n log n), no per-range allocation.
class OriginSweep {
 public:
  void Add(AddressRange range, uint32_t list, uint32_t origin) {
    ranges_.push_back({range, list, range.last - range.first, origin});
  }

  // Segments sorted by address, adjacent ones of the same origin merged.
  std::vector<std::pair<AddressRange, uint32_t>> Segments() {
    std::stable_sort(ranges_.begin(), ranges_.end(),
                     [](const Item& x, const Item& y) { return x.range.first < y.range.first; });
    // Heap top = the winning covering range (lowest list, then narrowest, then first added).
    auto loses = [](const Item* x, const Item* y) {
      if (x->list != y->list) return x->list > y->list;
      if (x->size != y->size) return x->size > y->size;
      return x > y;  // same list and width: the earlier line
    };
    std::vector<const Item*> heap;
    std::vector<std::pair<AddressRange, uint32_t>> out;
    out.reserve(ranges_.size());
    size_t i = 0;
    AddressValue pos = 0;
    while (i < ranges_.size() || !heap.empty()) {
      if (heap.empty()) pos = ranges_[i].range.first;
      while (i < ranges_.size() && ranges_[i].range.first <= pos) {
        heap.push_back(&ranges_[i++]);
        std::push_heap(heap.begin(), heap.end(), loses);
      }
      // Drop ranges that end before `pos` once they reach the top (lazy deletion).
      while (!heap.empty() && heap.front()->range.last < pos) {
        std::pop_heap(heap.begin(), heap.end(), loses);
        heap.pop_back();
      }
      if (heap.empty()) continue;
      const Item* top = heap.front();
      AddressValue end = top->range.last;
      if (i < ranges_.size() && ranges_[i].range.first - 1 < end) end = ranges_[i].range.first - 1;
      if (!out.empty() && out.back().second == top->origin && out.back().first.last + 1 == pos) {
        out.back().first.last = end;
      } else {
        out.push_back({{pos, end}, top->origin});
      }
      if (end == ~AddressValue{0}) break;
      pos = end + 1;
    }
    ranges_.clear();
    return out;
  }

 private:
  struct Item {
    AddressRange range;
    uint32_t list;
    AddressValue size;
    uint32_t origin;
  };
  std::vector<Item> ranges_;
};

struct Source {
  std::string name;     // list name (file name without .txt)
  std::string where;    // file path for errors
  std::string content;  // owned copy for files read from disk
  std::string_view view;
};

// Everything a load collects before it becomes a WarningLists.
struct Loaded {
  OriginSweep v4, v6;
  uint32_t lists = 0;
  std::vector<std::string> origins;  // "list: reason"
  std::unordered_map<std::string, std::string> popular;
  std::unordered_map<std::string, std::string> platforms;
  std::vector<WarningListStats> stats;
};

ListKind InferKind(std::string_view name, std::string_view first_entry) {
  if (Cidr::Parse(first_entry)) return ListKind::kCidr;
  std::string lower(name);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view word : {"shortener", "dyndns", "hoster", "cdn", "platform"}) {
    if (lower.find(word) != std::string::npos) return ListKind::kPlatform;
  }
  return ListKind::kDomain;
}

Status ParseList(const Source& src, Loaded& out) {
  std::optional<ListKind> kind;
  std::string reason;
  std::unordered_map<std::string, uint32_t> origin_ids;  // reason -> origin index
  std::optional<uint32_t> default_origin;                // the list's own reason
  auto origin_id = [&](std::string_view why) {
    if (why.empty() && default_origin) return *default_origin;
    std::string key(why.empty() ? std::string_view(reason) : why);
    auto [it, inserted] = origin_ids.try_emplace(key, 0);
    if (inserted) {
      it->second = static_cast<uint32_t>(out.origins.size());
      out.origins.push_back(fmt::format("{}: {}", src.name, key));
    }
    if (why.empty()) default_origin = it->second;
    return it->second;
  };

  int64_t entries = 0;
  std::string_view rest = src.view;
  if (rest.starts_with("\xEF\xBB\xBF")) rest.remove_prefix(3);  // UTF-8 byte-order mark
  int line_no = 0;
  while (!rest.empty()) {
    auto nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
    ++line_no;
    line = Trim(line);
    if (line.empty()) continue;
    auto at = [&] { return fmt::format("{}:{}", src.where, line_no); };
    if (line.front() == '#') {
      if (entries > 0) continue;  // header keys count only before the first entry
      std::string_view text = Trim(line.substr(1));
      auto colon = text.find(':');
      if (colon == std::string_view::npos) continue;
      std::string_view key = Trim(text.substr(0, colon));
      std::string_view value = Trim(text.substr(colon + 1));
      if (key == "kind") {
        if (value == "cidr") {
          kind = ListKind::kCidr;
        } else if (value == "domain") {
          kind = ListKind::kDomain;
        } else if (value == "platform") {
          kind = ListKind::kPlatform;
        } else {
          return MakeError(ErrorCode::kInvalidArgument,
                           fmt::format("unknown list kind '{}' (expected cidr, domain or platform)",
                                       value),
                           at());
        }
      } else if (key == "reason") {
        reason = std::string(value);
      }
      continue;
    }
    std::string_view value = line, comment;
    if (auto hash = line.find('#'); hash != std::string_view::npos) {
      value = Trim(line.substr(0, hash));
      comment = Trim(line.substr(hash + 1));
    }
    if (value.find_first_of(" \t") != std::string_view::npos) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("expected one value per line, got '{}'", value.substr(0, 80)),
                       at());
    }
    if (!kind) kind = InferKind(src.name, value);
    if (reason.empty()) reason = std::string(DefaultReason(*kind));
    ++entries;
    if (*kind == ListKind::kCidr) {
      auto parsed = Cidr::Parse(value);
      if (!parsed) {
        return MakeError(ErrorCode::kInvalidArgument,
                         fmt::format("not an IP address or CIDR: '{}' ({})", value.substr(0, 80),
                                     parsed.error().message),
                         at());
      }
      AddressRange r = RangeOf(parsed->cidr);
      (parsed->cidr.network().is_v4() ? out.v4 : out.v6).Add(r, out.lists, origin_id(comment));
    } else {
      auto name = DomainName::Parse(value);
      if (!name) {
        return MakeError(ErrorCode::kInvalidArgument,
                         fmt::format("not a domain name: '{}' ({})", value.substr(0, 80),
                                     name.error().message),
                         at());
      }
      auto& map = *kind == ListKind::kPlatform ? out.platforms : out.popular;
      auto [it, inserted] = map.try_emplace(name->name());
      if (inserted) it->second = out.origins[origin_id(comment)];
    }
  }
  out.stats.push_back({src.name, std::string(KindName(kind.value_or(ListKind::kDomain))), entries});
  ++out.lists;
  return Ok();
}

Status ReadDirs(const std::vector<std::filesystem::path>& dirs, std::vector<Source>& sources) {
  namespace fs = std::filesystem;
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      return MakeError(ErrorCode::kNotFound, "warning list directory not found", dir.string());
    }
    std::vector<fs::path> files;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->path().extension() == ".txt" && it->is_regular_file(ec)) files.push_back(it->path());
    }
    if (ec) return MakeError(ErrorCode::kIo, "cannot list directory: " + ec.message(), dir.string());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      std::ifstream in(file, std::ios::binary);
      std::ostringstream buf;
      buf << in.rdbuf();
      if (!in) return MakeError(ErrorCode::kIo, "cannot read warning list", file.string());
      Source s{file.stem().string(), file.string(), std::move(buf).str(), {}};
      sources.push_back(std::move(s));
    }
  }
  return Ok();
}

}  // namespace

// The members of a WarningLists, built from parsed lists.
struct WarningLists::Assembled {
  AddressRangeSet addresses;
  std::vector<std::pair<AddressRange, std::string>> v4, v6;
  std::unordered_map<std::string, std::string> popular, platforms;
  std::vector<WarningListStats> stats;
};

namespace {

using Assembled = WarningLists::Assembled;

Expected<Assembled> Assemble(std::vector<Source>& sources) {
  Loaded loaded;
  for (auto& s : sources) {
    if (s.view.empty()) s.view = s.content;
    MAMORI_RETURN_IF_ERROR(ParseList(s, loaded));
  }
  Assembled a;
  auto v4 = loaded.v4.Segments();
  auto v6 = loaded.v6.Segments();
  a.v4.reserve(v4.size());
  a.v6.reserve(v6.size());
  for (const auto& [range, id] : v4) {
    a.v4.emplace_back(range, loaded.origins[id]);
    a.addresses.AddV4(static_cast<uint32_t>(range.first), static_cast<uint32_t>(range.last));
  }
  for (const auto& [range, id] : v6) {
    a.v6.emplace_back(range, loaded.origins[id]);
    a.addresses.AddV6(range.first, range.last);
  }
  a.addresses.Normalize();
  a.popular = std::move(loaded.popular);
  a.platforms = std::move(loaded.platforms);
  a.stats = std::move(loaded.stats);
  return a;
}

bool IsPslPrivateSuffix(std::string_view domain) {
  auto name = DomainName::Parse(domain);
  return name && name->IsPublicSuffix() && name->IsPrivateSuffix();
}

// Host part of a normalized URL ("scheme://[userinfo@]host[:port]/...").
// True for "https://host", "https://host/" (no path, query or fragment).
bool IsRootUrl(std::string_view url) {
  auto start = url.find("://");
  if (start == std::string_view::npos) return false;
  url.remove_prefix(start + 3);
  auto rest = url.find_first_of("/?#");
  return rest == std::string_view::npos || url.substr(rest) == "/";
}

std::optional<WarningMatch> FindOrigin(const std::vector<std::pair<AddressRange, std::string>>& v,
                                       AddressRange query) {
  // Segments are disjoint and sorted, so their `last` values are sorted too.
  auto it = std::partition_point(v.begin(), v.end(),
                                 [&](const auto& s) { return s.first.last < query.first; });
  if (it == v.end() || it->first.first > query.last) return std::nullopt;
  return SplitOrigin(it->second);
}

std::optional<WarningMatch> FindDomain(const std::unordered_map<std::string, std::string>& map,
                                       std::string_view domain) {
  if (auto it = map.find(std::string(domain)); it != map.end()) return SplitOrigin(it->second);
  return std::nullopt;
}

}  // namespace

WarningLists WarningLists::From(Assembled a) {
  WarningLists w;
  w.addresses_ = std::move(a.addresses);
  w.v4_origin_ = std::move(a.v4);
  w.v6_origin_ = std::move(a.v6);
  w.popular_ = std::move(a.popular);
  w.platforms_ = std::move(a.platforms);
  w.stats_ = std::move(a.stats);
  return w;
}

Expected<WarningLists> WarningLists::LoadBuiltin(const std::vector<std::filesystem::path>& extra_dirs) {
  std::vector<Source> sources;
  for (const auto& [name, content] : internal::EmbeddedWarningLists()) {
    Source s{std::string(name), fmt::format("{}/{}.txt", kBuiltinDir, name), {}, content};
    if (name == kFirstBuiltin) {
      sources.insert(sources.begin(), std::move(s));
    } else {
      sources.push_back(std::move(s));
    }
  }
  MAMORI_RETURN_IF_ERROR(ReadDirs(extra_dirs, sources));
  MAMORI_ASSIGN_OR_RETURN(Assembled a, Assemble(sources));
  return From(std::move(a));
}

Expected<WarningLists> WarningLists::LoadFrom(const std::vector<std::filesystem::path>& dirs) {
  std::vector<Source> sources;
  MAMORI_RETURN_IF_ERROR(ReadDirs(dirs, sources));
  MAMORI_ASSIGN_OR_RETURN(Assembled a, Assemble(sources));
  return From(std::move(a));
}

Expected<WarningLists> WarningLists::LoadBuiltinList(std::string_view name) {
  for (const auto& [list, content] : internal::EmbeddedWarningLists()) {
    if (list != name) continue;
    std::vector<Source> sources = {
        Source{std::string(list), fmt::format("{}/{}.txt", kBuiltinDir, list), {}, content}};
    MAMORI_ASSIGN_OR_RETURN(Assembled a, Assemble(sources));
    return From(std::move(a));
  }
  return MakeError(ErrorCode::kNotFound, fmt::format("no built-in warning list '{}'", name),
                   std::string(kBuiltinDir));
}

std::optional<WarningMatch> WarningLists::Match(const Indicator& indicator) const {
  switch (indicator.type) {
    case IndicatorType::kIpv4:
    case IndicatorType::kIpv6: {
      auto ip = IpAddress::Parse(indicator.value);
      if (!ip) return std::nullopt;
      return FindOrigin(ip->is_v4() ? v4_origin_ : v6_origin_, RangeOf(*ip));
    }
    case IndicatorType::kCidr: {
      auto parsed = Cidr::Parse(indicator.value);
      if (!parsed) return std::nullopt;
      return FindOrigin(parsed->cidr.network().is_v4() ? v4_origin_ : v6_origin_,
                        RangeOf(parsed->cidr));
    }
    case IndicatorType::kDomain: {
      std::string_view d = indicator.value;
      // A platform's own name first: its reason says how to block below it.
      if (auto m = FindDomain(platforms_, d)) return m;
      if (auto m = FindDomain(popular_, d)) return m;
      if (d.starts_with("www.")) {
        if (auto m = FindDomain(popular_, d.substr(4))) return m;
      }
      if (IsPslPrivateSuffix(d)) return WarningMatch{std::string(kPslList), std::string(kPslReason)};
      return std::nullopt;
    }
    case IndicatorType::kUrl: {
      // Only a popular site's front page is protected ("https://google.com/"): a URL with a path
      // on a popular site (a phishing form on docs.google.com, a payload on github.com) is
      // exactly what should be blocked instead of the site, and so is any URL on a platform.
      std::string_view host = UrlHost(indicator.value);
      if (host.empty() || IsPlatform(host) || !IsRootUrl(indicator.value)) return std::nullopt;
      if (auto m = FindDomain(popular_, host)) return m;
      if (host.starts_with("www.")) {
        if (IsPlatform(host.substr(4))) return std::nullopt;
        return FindDomain(popular_, host.substr(4));
      }
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

bool WarningLists::IsPlatform(std::string_view domain) const {
  if (platforms_.contains(std::string(domain))) return true;
  return IsPslPrivateSuffix(domain);
}

std::vector<WarningListStats> WarningLists::Stats() const { return stats_; }

}  // namespace mamori::intel
