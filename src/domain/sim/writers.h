// Writes a domain world (domain/sim/world.h) to a directory in every input format the domain
// readers take, with ground truth (layout and assumptions: docs/domain-sim.md):
//   world.json truth.csv labels.csv pdns/dnsdb.jsonl pdns/zeek/dns-*.log
//   popularity/simtop-*.csv zones/<tld>-*.txt rdap/rdap-*.jsonl blocklists/<feed>/<feed>-*.txt
//   asn/ip2asn.tsv
// Same world → byte-identical files (nothing depends on the wall clock or on hash-table order).
// Not thread-safe; writes only under `out_dir`.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "domain/sim/world.h"

namespace mamori::domain::sim {

struct WriteResult {
  std::vector<std::string> files;  // relative to out_dir, sorted
  uint64_t bytes = 0;
};

using Progress = std::function<void(std::string_view phase, std::string_view detail)>;

// Refuses a non-empty `out_dir` unless `force`; with `force`, removes what an earlier run wrote
// there (the files and folders of the layout above) and nothing else.
Status PrepareOutputDir(const std::string& out_dir, bool force);

// Writes every file, world.json last. `progress` (may be empty) is told the phase and day.
Expected<WriteResult> WriteWorld(const World& world, const std::string& out_dir,
                                 const Progress& progress = {});

// The summary printed by `mamori sim domains --json` and stored in world.json (without the
// file list).
nlohmann::ordered_json WorldSummary(const World& world);

}  // namespace mamori::domain::sim
