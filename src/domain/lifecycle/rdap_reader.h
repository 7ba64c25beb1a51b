// Reads RDAP domain responses (RFC 9083, objectClassName "domain") into registration
// observations for store::Store::AddRegistrations. docs/formats/rdap.md lists the members read.
// Input: one JSON document per file (an object, or an array of them), or JSON lines — one
// response per line. The observation time is the document's "mamori_observed_at" (Unix seconds;
// our extension), else the day (options.day, else the file name's date) — refined to the
// response's "last update of RDAP database" event when that falls on the day — else that event.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "domain/ingest/report.h"
#include "store/domain_records.h"

namespace mamori::domain::lifecycle {

// One RDAP domain object; `default_at` when it carries no mamori_observed_at. The error message
// says what is wrong with the document (no position: the caller adds it).
Expected<store::RegistrationObservation> RegistrationFromRdap(
    const nlohmann::json& doc, std::optional<UnixSeconds> default_at);

Expected<std::vector<store::RegistrationObservation>> ReadRdapFile(
    const std::string& path, const ingest::IngestOptions& options, ingest::IngestReport& report);

}  // namespace mamori::domain::lifecycle
