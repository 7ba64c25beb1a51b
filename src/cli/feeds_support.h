// Feed-update plumbing shared by `feeds update`, `feeds add`, `intel import` and `serve`.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/context.h"
#include "feeds/http_client.h"
#include "feeds/updater.h"

namespace mamori::cli {

feeds::HttpOptions HttpOptionsForConfig(const Config& config);
// Update limits from [feeds]; callers add their own allow_empty / merge.
feeds::UpdateOptions UpdateOptionsForConfig(const Config& config);
// Updates the named feeds (every enabled one when `names` is empty); prints a line per feed
// (or a JSON array); returns the exit code (1 when any update failed or was rejected).
int RunUpdates(Context& ctx, std::vector<std::string> names, bool allow_empty, bool as_json);
void PrintUpdateReport(const feeds::UpdateReport& report);
nlohmann::json UpdateReportJson(const feeds::UpdateReport& report);

}  // namespace mamori::cli
