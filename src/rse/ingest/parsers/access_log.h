// Web server access logs: the common and combined log formats (nginx and Apache write the same
// shape) and nginx's JSON access logs (`log_format ... escape=json`). docs/formats/logs-access.md
// documents the fields and what is malformed. The parsers are hand-written scans over the line
// (no regex, no allocation per line) because access logs are the highest-volume input.
//
// The factories are in parsers.h; this header shares the request-line split with the error-log
// parsers.
#pragma once

#include <string_view>

#include "rse/ingest/event.h"
#include "rse/ingest/log_parser.h"

namespace mamori::rse::ingest {

// Splits an HTTP request line "GET /a?b HTTP/1.1" into http.request.method, url.original and
// http.version ("1.1"). A line that is not "METHOD TARGET[ HTTP/x.y]" — scanner garbage, "-", an
// empty request — sets none of them and goes to `message` instead (unless "-" or empty), so rules
// can still see it. Returns whether it was a request line. Shared with the error-log parsers.
bool SplitRequestLine(std::string_view request, Event& event);

}  // namespace mamori::rse::ingest
