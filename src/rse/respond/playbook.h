// Playbooks: what the response engine does about a detection (docs/formats/playbooks.md).
//
// A playbook is one YAML document in rules/playbooks/: conditions on a stored detection (rule,
// level, count, the source or target and the asset groups they belong to, intel listings of the
// value acted on, and a domain's reputation score and category — from the domain subsystem, which
// `serve` hands the engine as a DomainAssessor) and a list of actions with their parameters (block an address or a domain, boost it
// in device blocklists, notify, isolate a host, or only recommend). A playbook is `auto` (its
// actions are carried out, subject to the safety checks in safety.h) or `recommend` (they wait
// for an operator). Asset groups are named address sets shared by all playbooks, read from
// `assets.yml` beside them.
//
// Loading never throws: yaml-cpp exceptions are caught and each invalid playbook becomes a
// PlaybookError with file and line while the others load. A PlaybookSet is immutable after
// loading and safe to share between threads.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ip.h"
#include "rse/detect/rule.h"
#include "store/records.h"

namespace mamori::rse::respond {

// Which value of a detection an action is about.
enum class ValueOf {
  kSource,     // the detection's group value: the attacker, or for intel rules the internal host
  kTarget,     // the detection's target: the attacked host, or the listed C2 the host contacted
  kIndicator,  // the listed indicator of an intel rule (same as target for intel rules)
};
std::string_view ValueOfName(ValueOf v);

struct PlaybookAction {
  std::string type;    // an action kind of actuator.h (kBlockAddress, ...)
  ValueOf value = ValueOf::kSource;
  std::string device;  // "" = the first configured device that supports the kind
  int64_t duration_seconds = 0;  // 0 = the engine's default (reversible kinds only)
  // block_address: widen an address to its network (24 → the /24 of an IPv4 address); 0 = as is.
  int widen_v4 = 0;
  int widen_v6 = 0;
  int boost = 0;  // blocklist_boost: priority points added
  std::map<std::string, std::string> params;  // kind-specific (url, to, message, severity)
  int line = 0;
};

struct PlaybookConditions {
  std::vector<std::string> rules;  // rule ids, '*' wildcards; empty = any rule
  detect::Level min_level = detect::Level::kInformational;
  int64_t min_count = 0;
  std::string group_field;                // "" = any
  std::vector<Cidr> source_cidrs;         // group value inside one of these (empty: any)
  std::vector<Cidr> not_source_cidrs;     // … and inside none of these
  std::vector<std::string> asset_groups;  // source or target in one of these groups
  std::optional<bool> intel_listed;       // the acted-on value is (not) listed by a source now
  std::vector<std::string> intel_sources; // … by one of these sources (empty: any)
  int min_reputation = 0;                 // domain reputation score 0..100 (0: no condition)
  std::vector<std::string> categories;    // domain categories (empty: no condition)
};

struct Playbook {
  std::string id;  // [a-z0-9_.-]+, unique
  std::string title;
  std::string description;
  std::string mode = "recommend";  // "auto" or "recommend"
  bool enabled = true;
  PlaybookConditions when;
  std::vector<PlaybookAction> actions;
  bool allow_private = false;             // may act on private/special-purpose addresses
  bool allow_own_infrastructure = false;  // may act on [respond] own_infrastructure
  int rate_per_minute = 0;                // this playbook's own limit (0: only the global one)
  int rate_per_target_per_hour = 0;
  std::string file;
  int line = 0;
};

struct PlaybookError {
  std::string file;
  int line = 0;
  std::string reason;
  std::string ToString() const;  // "file:line: reason"
};

// Named address sets ("dmz": [192.0.2.0/24]) that playbook conditions refer to.
using AssetGroups = std::map<std::string, std::vector<Cidr>>;

struct PlaybookSet {
  std::vector<Playbook> playbooks;
  AssetGroups asset_groups;
  std::vector<PlaybookError> errors;
};

// Parses one playbook file's text (`---` separates several playbooks). Asset groups named in
// conditions must exist in `groups`.
PlaybookSet ParsePlaybooks(std::string_view yaml, std::string_view file_name,
                           const AssetGroups& groups = {});
// Parses assets.yml: `asset_groups: {NAME: [CIDR, ...], ...}`.
AssetGroups ParseAssetGroups(std::string_view yaml, std::string_view file_name,
                             std::vector<PlaybookError>* errors);
// Loads a playbook file, or every *.yml under a directory (its assets.yml first, as the asset
// groups). Duplicate ids are errors (the later one is rejected).
PlaybookSet LoadPlaybooks(const std::string& path);

// What the domain subsystem says about a domain (docs/domain-reputation.md,
// docs/domain-categories.md): its reputation score with the reasons in plain words, and how it
// was made with the countermeasure. The response engine does not depend on the domain library:
// the program that has both (serve) hands it a DomainAssessor (responder.h).
struct DomainAssessment {
  std::optional<int> score;                 // 0..100; unset when the name could not be scored
  std::vector<std::string> reasons;         // the top reasons, plain words
  std::string category;                     // "dga", "url_shortener", …; empty when unknown
  std::string action;                       // block-registered-domain, block-fqdn, block-url, …
  std::string block_at;                     // the exact name or URL pattern to block
  std::vector<std::string> defense_points;  // dns_rpz, web_proxy, firewall, endpoint
  std::string abuse_contact;
};

// What the engine knows about the value an action would act on, beyond the detection.
struct ValueFacts {
  bool listed = false;                     // some enabled intel source lists it now
  std::vector<std::string> listed_by;      // those sources
  std::optional<int> reputation;           // 0..100 when the domain subsystem scored it
  std::string category;                    // domain category, when known
  std::optional<DomainAssessment> domain;  // the whole assessment, for the evidence
};

// Whether the conditions hold for `detection` (the facts are about the value of the first
// action, or the source when the playbook has none).
bool Matches(const Playbook& playbook, const store::DetectionRecord& detection,
             const AssetGroups& groups, const ValueFacts& facts);

// The value an action is about, from the detection ("" when the detection has none).
std::string ValueFor(const PlaybookAction& action, const store::DetectionRecord& detection);

}  // namespace mamori::rse::respond
