// ServiceLists: the shared platforms categorization knows — URL shorteners, CDNs, web hosting,
// dynamic DNS, cloud storage, paste sites, ad networks and every Public Suffix List private
// suffix — each with its category, provider and abuse contact (docs/formats/service-list.md).
//
// A name equal to or below a listed domain is on that platform; the longest listed suffix wins
// ("bucket.s3.amazonaws.com" is cloud storage through "s3.amazonaws.com", not CDN through
// "amazonaws.com"). The built-in lists (data/services/*.txt) are embedded at build time; users
// add directories of their own list files, which override built-in entries for the same domain.
// Immutable after loading; every const call is thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/error.h"
#include "domain/category/category.h"

namespace mamori::domain {

struct ServiceEntry {
  std::string domain;  // A-label form, lower case
  Category category = Category::kWebHosting;
  std::string provider;       // "No-IP", "GitHub Pages"; may be empty
  std::string abuse_contact;  // address or URL where the platform takes abuse reports; may be empty
  std::string list;           // list name (file name without .txt)
  int line = 0;               // line in that list
  bool fallback = false;      // from a `# fallback: yes` list: never replaces another list's entry
};

// Parses one list file. `list_name` is recorded in each entry; `origin` ("data/services/x.txt")
// names the input in errors, with the line: "<origin>:<line>".
Expected<std::vector<ServiceEntry>> ParseServiceList(std::string_view text,
                                                     std::string_view list_name,
                                                     std::string_view origin);

class ServiceLists {
 public:
  // The embedded lists, then every *.txt file of each directory in `extra_dirs` (sorted by name).
  static Expected<ServiceLists> LoadBuiltin(
      const std::vector<std::filesystem::path>& extra_dirs = {});
  // Only the list files of `dirs` (no built-in lists).
  static Expected<ServiceLists> LoadFrom(const std::vector<std::filesystem::path>& dirs);
  // One list file's text: `name` goes into entries, `origin` names it in errors.
  struct ListText {
    std::string name;
    std::string origin;
    std::string text;
  };
  // Lists held in memory, in order (later lists override earlier ones); for tests.
  static Expected<ServiceLists> FromTexts(const std::vector<ListText>& lists);

  // The entry for exactly `domain`, or nullptr.
  const ServiceEntry* FindExact(std::string_view domain) const;
  // The entry of the longest listed suffix of `name` (the name itself or a parent), or nullptr.
  const ServiceEntry* FindSuffix(std::string_view name) const;
  // True when `domain` is a listed platform or a parent of one below the ICANN public suffix
  // ("google.com" for "docs.google.com", "amazonaws.com" for "s3.amazonaws.com"): blocking it
  // whole would block a platform.
  bool IsPlatformRoot(std::string_view domain) const;

  const std::vector<ServiceEntry>& entries() const { return entries_; }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  Status Add(std::vector<ServiceEntry> entries);

  std::vector<ServiceEntry> entries_;
  std::unordered_map<std::string, size_t, Hash, std::equal_to<>> by_domain_;
  std::unordered_set<std::string, Hash, std::equal_to<>> roots_;
};

// True when `name` is a public suffix of the ICANN section of the PSL ("com", "co.uk"; unknown
// single-label TLDs too, by the implicit "*" rule). core/domain_name.h answers for both sections
// together; platforms need the ICANN view alone.
bool IsIcannPublicSuffix(std::string_view name);
// The registrable domain under the ICANN section alone ("x.blogspot.com" -> "blogspot.com"),
// or "" when `name` is itself an ICANN public suffix.
std::string IcannRegisteredDomain(std::string_view name);

}  // namespace mamori::domain
