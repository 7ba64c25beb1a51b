// Categorizer: for a name or URL judged malicious, how it was made — an abused shared service,
// a compromised site, or a domain dedicated to the attack — and so what exactly to block (the
// registered domain, one host name, or one URL), at which defense points, and whom to tell
// (docs/domain-categories.md). Every decision comes with evidence strings in plain words.
//
// Decision order: IP literal; shared platform (service lists, PSL private section); then for the
// registered domain: re-registration, popularity, DGA, typosquat, CNAME to a platform, age; else
// attacker-registered. Whatever decides, a platform's registered domain (or a parent of one) is
// never given block-registered-domain.
//
// The categorizer does not own its collaborators: the ServiceLists, DgaScorer,
// TyposquatDetector and PopularityLookup must outlive it. Each may be absent except the service
// lists (an absent one is reported in the evidence). Immutable; Categorize() is thread-safe when
// the collaborators are.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "domain/category/category.h"
#include "domain/category/evidence.h"
#include "domain/category/service_lists.h"
#include "domain/category/target.h"
#include "domain/dga_scorer.h"
#include "domain/typosquat/detector.h"

namespace mamori::domain {

struct Categorization {
  std::string input;              // as given, trimmed
  std::string domain;             // the normalized host: A-label name or IP text
  std::string registered_domain;  // under the PSL (both sections); "" for an IP
  Category category = Category::kAttackerRegistered;
  double confidence = 0;  // 0..1: how sure the category is, given the evidence available
  std::vector<std::string> evidence;
  Action action = Action::kMonitor;
  std::string block_at;  // the name or URL pattern to block; "" for report-abuse and monitor
  std::vector<DefensePoint> defense_points;
  std::string abuse_contact;  // RDAP abuse contact, else the platform's from the service list
  // Details behind the category (empty/unset when they do not apply).
  std::string platform;  // the listed platform domain the name is on ("duckdns.org")
  std::string provider;  // its operator ("Duck DNS")
  std::optional<TyposquatMatch> typosquat;
  std::optional<double> dga_probability;
};

struct CategorizerOptions {
  const DgaScorer* dga = nullptr;                 // null: DGA not checked ("DGA model not loaded")
  const TyposquatDetector* typosquat = nullptr;   // null: typosquatting not checked
  const PopularityLookup* popularity = nullptr;   // null: popularity not checked
  // A registration at least this old makes a flagged non-popular site "established": compromised
  // rather than attacker-registered.
  int established_age_days = 730;
  UnixSeconds now = 0;  // for ages; 0 = the system clock at each call
};

class Categorizer {
 public:
  Categorizer(const ServiceLists& services, CategorizerOptions options)
      : services_(services), options_(options) {}

  // Parses `text` (ParseTarget) and categorizes it. Errors: the input is not a name, URL or
  // address, or names a public suffix itself ("co.uk").
  Expected<Categorization> Categorize(std::string_view text, const Evidence& evidence = {}) const;
  Expected<Categorization> Categorize(const Target& target, const Evidence& evidence = {}) const;

 private:
  const ServiceLists& services_;
  CategorizerOptions options_;
};

// The defense points that can enforce an action: names at DNS (RPZ), firewall (FQDN objects),
// web proxy and endpoint; URLs at web proxy and endpoint only; none for report-abuse/monitor.
std::vector<DefensePoint> DefensePointsFor(Action action);

}  // namespace mamori::domain
