// Shared by `mamori collect` and `mamori serve`: loading the rules and starting a Collector with
// the store as its intel source.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/config.h"
#include "rse/collect/collector.h"
#include "rse/detect/indicator_lookup.h"

namespace mamori::cli {

struct RunningCollector {
  std::unique_ptr<rse::detect::StoreIndicatorLookup> intel;
  std::unique_ptr<rse::collect::Collector> collector;
  size_t rules = 0;
};

// Loads and compiles the rules at `rules_path` (a file or directory) for detection: invalid ones
// are reported on stderr with file, line and reason and skipped; none valid is an error.
Expected<std::shared_ptr<const rse::detect::RuleSet>> LoadRulesForDetection(
    const std::string& rules_path);

// LoadRulesForDetection, then starts collecting `options.inputs` into `store`.
Expected<RunningCollector> StartCollector(const std::string& rules_path,
                                          rse::collect::CollectorOptions options,
                                          store::Store& store, Clock& clock);

// CollectorOptions from the [collect] section (inputs parsed).
Expected<rse::collect::CollectorOptions> CollectorOptionsForConfig(const Config& cfg);

}  // namespace mamori::cli
