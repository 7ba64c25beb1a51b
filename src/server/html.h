// Server-side HTML for the operator's status page. Plain HTML, no scripts: every value that
// came from a feed or a request is escaped with EscapeHtml().
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "intel/lookup.h"
#include "store/records.h"

namespace mamori::server {

std::string EscapeHtml(std::string_view text);
std::string RenderIndexPage(const std::vector<store::SourceRecord>& sources,
                            const store::StoreStats& stats);
std::string RenderLookupPage(std::string_view query, const intel::LookupResult* result,
                             std::string_view error);

}  // namespace mamori::server
