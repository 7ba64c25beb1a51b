// Malware sample routes: submit a sample for analysis and read the queue and the reports
// (docs/api.md, docs/api.yaml; the queue: server/sample_queue.h).
//
//   POST /api/v1/samples?name=FILE     operator: the raw sample as the body
//                                      (application/octet-stream), or multipart/form-data with a
//                                      `file` part → 202 {"id", "sha256", "status"} + Location
//   GET  /api/v1/samples               before_id, limit → {"samples", "next_before_id"}
//   GET  /api/v1/samples/<id>          one sample: status, times, summary of its report
//   GET  /api/v1/samples/<id>/report   the JSON report (docs/formats/report.md); 404 until the
//                                      analysis finished
//   GET  /api/v1/samples/<id>/iocs     format=txt|json|csv, type=: plain IOC lists from the
//                                      report (malware/report/plain_iocs.h); 404 until finished
// Reading needs viewer, submitting operator; a submission is written to the audit log. Bodies
// over the sample limit get 413 (ApiServer checks Content-Length before reading the body).
// Without a SampleQueue (analysis not enabled) submitting answers 503; reading still works.
#pragma once

#include <cstddef>

#include "core/clock.h"
#include "store/store.h"

namespace httplib {
class Server;
}

namespace mamori::server {
namespace auth {
class Authenticator;
}
class SampleQueue;

inline constexpr std::string_view kSamplesPath = "/api/v1/samples";

// Everything must outlive the server; `queue` may be null.
void RegisterSampleRoutes(httplib::Server& http, store::Store& store, Clock& clock,
                          SampleQueue* queue, size_t max_sample_bytes, auth::Authenticator& auth);

}  // namespace mamori::server
