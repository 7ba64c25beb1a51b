// Reads a label file — ground truth for training and evaluating domain reputation — for
// store::Store::AddDomainLabels. docs/formats/domain-labels.md: CSV `domain,label,date[,source]`,
// label malicious|benign (or 1|0), date YYYY-MM-DD (or another ISO 8601 time) or Unix seconds,
// an optional header line. Malformed lines are counted in the report and skipped.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "domain/ingest/report.h"
#include "store/domain_records.h"

namespace mamori::domain::lifecycle {

// A line without a source column gets options.source, else the file's name.
Expected<std::vector<store::DomainLabel>> ReadDomainLabels(const std::string& path,
                                                           const ingest::IngestOptions& options,
                                                           ingest::IngestReport& report);

}  // namespace mamori::domain::lifecycle
