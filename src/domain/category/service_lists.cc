#include "domain/category/service_lists.h"

#include <fmt/format.h>
#include <libpsl.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "core/domain_name.h"
#include "core/public_suffix_list.h"
#include "domain/category/internal/embedded_services.h"
#include "domain/category/internal/psl_suffix.h"

namespace mamori::domain {

namespace {

namespace fs = std::filesystem;

struct Hash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

const psl_ctx_t* Psl() { return PublicSuffixList(); }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

using Source = ServiceLists::ListText;

Status ReadDirs(const std::vector<fs::path>& dirs, std::vector<Source>& sources) {
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      return MakeError(ErrorCode::kNotFound,
                       "service list directory not found (give a directory of *.txt lists)",
                       dir.string());
    }
    std::vector<fs::path> files;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->is_regular_file() && it->path().extension() == ".txt") files.push_back(it->path());
    }
    if (ec) return MakeError(ErrorCode::kIo, "cannot list directory: " + ec.message(), dir.string());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      if (!in && !in.eof()) return MakeError(ErrorCode::kIo, "cannot read service list", f.string());
      sources.push_back({f.stem().string(), f.string(), ss.str()});
    }
  }
  return Ok();
}

}  // namespace

bool IsIcannPublicSuffix(std::string_view name) {
  std::string s(name);
  return psl_is_public_suffix2(Psl(), s.c_str(), PSL_TYPE_ICANN) != 0;
}

namespace internal {

bool IsPrivateSuffix(const DomainName& name, std::string_view registered_domain) {
  if (registered_domain.empty()) return name.IsPrivateSuffix();
  const std::string_view suffix = registered_domain.substr(registered_domain.find('.') + 1);
  // Few distinct suffixes ("com", "co.uk", ...) recur across millions of names, and the list is
  // immutable once loaded, so each thread remembers its answers. Bounded: suffixes under the
  // implicit "*" rule can be anything, so the memo starts over when it grows large.
  thread_local std::unordered_map<std::string, bool, Hash, std::equal_to<>> memo;
  if (auto it = memo.find(suffix); it != memo.end()) return it->second;
  if (memo.size() >= 4096) memo.clear();
  // The same two questions DomainName::IsPrivateSuffix() asks, of the same list.
  std::string s(suffix);
  const bool is_private =
      psl_is_public_suffix2(Psl(), s.c_str(), PSL_TYPE_PRIVATE | PSL_TYPE_NO_STAR_RULE) &&
      !psl_is_public_suffix2(Psl(), s.c_str(), PSL_TYPE_ICANN | PSL_TYPE_NO_STAR_RULE);
  memo.emplace(std::move(s), is_private);
  return is_private;
}

}  // namespace internal

std::string IcannRegisteredDomain(std::string_view name) {
  // The registrable domain is the shortest suffix whose parent is an ICANN public suffix.
  if (IsIcannPublicSuffix(name)) return "";
  std::string_view candidate = name;
  while (true) {
    auto dot = candidate.find('.');
    if (dot == std::string_view::npos) return std::string(candidate);
    std::string_view parent = candidate.substr(dot + 1);
    if (IsIcannPublicSuffix(parent)) return std::string(candidate);
    candidate = parent;
  }
}

Expected<std::vector<ServiceEntry>> ParseServiceList(std::string_view text,
                                                     std::string_view list_name,
                                                     std::string_view origin) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<ServiceEntry> entries;
  std::optional<Category> category;
  bool fallback = false;
  bool in_header = true;
  int line_no = 0;
  auto fail = [&](std::string why) {
    return MakeError(ErrorCode::kInvalidArgument, std::move(why),
                     fmt::format("{}:{}", origin, line_no));
  };
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = Trim(text.substr(pos, end - pos));
    pos = end + 1;
    ++line_no;
    if (line.empty()) {
      if (end == text.size()) break;
      continue;
    }
    if (line.front() == '#') {
      if (!in_header) continue;
      std::string_view body = Trim(line.substr(1));
      auto colon = body.find(':');
      if (colon == std::string_view::npos) continue;
      std::string key = Lower(Trim(body.substr(0, colon)));
      std::string_view value = Trim(body.substr(colon + 1));
      if (key == "category") {
        category = ParseCategory(Lower(value));
        if (!category || !IsAbusedService(*category) || *category == Category::kCompromisedSite) {
          return fail(fmt::format(
              "unknown service category '{}' (one of advertising, cdn, web_hosting, "
              "url_shortener, dynamic_dns, cloud_storage, paste_site)",
              value));
        }
      } else if (key == "fallback") {
        std::string v = Lower(value);
        if (v != "yes" && v != "no") return fail("'# fallback:' must be yes or no");
        fallback = v == "yes";
      }
      continue;
    }
    in_header = false;
    if (!category) {
      return fail("a service list needs a '# category: <name>' header line before its entries");
    }
    // domain | provider | abuse contact
    std::string_view fields[3];
    int n = 0;
    std::string_view rest = line;
    while (true) {
      auto bar = rest.find('|');
      if (n == 3) return fail("too many '|' fields (domain | provider | abuse contact)");
      fields[n++] = Trim(rest.substr(0, bar));
      if (bar == std::string_view::npos) break;
      rest = rest.substr(bar + 1);
    }
    auto domain = DomainName::Parse(fields[0]);
    if (!domain) return fail(fmt::format("invalid domain '{}': {}", fields[0],
                                         domain.error().message));
    ServiceEntry e;
    e.domain = domain->name();
    e.category = *category;
    e.provider = std::string(fields[1]);
    e.abuse_contact = std::string(fields[2]);
    if (e.abuse_contact.find_first_of(" \t") != std::string::npos) {
      return fail("the abuse contact must be one address or URL, without spaces");
    }
    e.list = std::string(list_name);
    e.line = line_no;
    e.fallback = fallback;
    entries.push_back(std::move(e));
    if (end == text.size()) break;
  }
  return entries;
}

Status ServiceLists::Add(std::vector<ServiceEntry> entries) {
  for (auto& e : entries) {
    auto it = by_domain_.find(e.domain);
    if (it == by_domain_.end()) {
      // Every parent of the platform down to its ICANN registrable domain is a root too.
      std::string_view d = e.domain;
      while (!d.empty() && !IsIcannPublicSuffix(d)) {
        roots_.emplace(d);
        auto dot = d.find('.');
        if (dot == std::string_view::npos) break;
        d = d.substr(dot + 1);
      }
      by_domain_.emplace(e.domain, entries_.size());
      entries_.push_back(std::move(e));
      continue;
    }
    ServiceEntry& old = entries_[it->second];
    if (e.fallback && !old.fallback) continue;  // the PSL never overrides a curated entry
    old.category = e.category;
    old.list = e.list;
    old.line = e.line;
    old.fallback = e.fallback;
    if (!e.provider.empty()) old.provider = e.provider;
    if (!e.abuse_contact.empty()) old.abuse_contact = e.abuse_contact;
  }
  return Ok();
}

Expected<ServiceLists> ServiceLists::FromTexts(const std::vector<ListText>& lists) {
  ServiceLists result;
  // Fallback lists (the PSL) first, so a curated entry for the same domain replaces theirs
  // whatever the file order.
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& list : lists) {
      MAMORI_ASSIGN_OR_RETURN(auto entries, ParseServiceList(list.text, list.name, list.origin));
      bool is_fallback = !entries.empty() && entries.front().fallback;
      if ((pass == 0) != is_fallback) continue;
      MAMORI_RETURN_IF_ERROR(result.Add(std::move(entries)));
    }
  }
  return result;
}

Expected<ServiceLists> ServiceLists::LoadBuiltin(const std::vector<fs::path>& extra_dirs) {
  std::vector<Source> sources;
  for (const auto& [name, text] : internal::EmbeddedServiceLists()) {
    sources.push_back({std::string(name), fmt::format("data/services/{}.txt", name),
                       std::string(text)});
  }
  MAMORI_RETURN_IF_ERROR(ReadDirs(extra_dirs, sources));
  return FromTexts(sources);
}

Expected<ServiceLists> ServiceLists::LoadFrom(const std::vector<fs::path>& dirs) {
  std::vector<Source> sources;
  MAMORI_RETURN_IF_ERROR(ReadDirs(dirs, sources));
  return FromTexts(sources);
}

const ServiceEntry* ServiceLists::FindExact(std::string_view domain) const {
  auto it = by_domain_.find(domain);
  return it == by_domain_.end() ? nullptr : &entries_[it->second];
}

const ServiceEntry* ServiceLists::FindSuffix(std::string_view name) const {
  while (true) {
    if (const ServiceEntry* e = FindExact(name)) return e;
    auto dot = name.find('.');
    if (dot == std::string_view::npos) return nullptr;
    name.remove_prefix(dot + 1);
  }
}

bool ServiceLists::IsPlatformRoot(std::string_view domain) const {
  return roots_.find(domain) != roots_.end();
}

}  // namespace mamori::domain
