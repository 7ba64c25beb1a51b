// Response routes: actions, recommendations, playbooks, the kill switch and the audit log
// (docs/api.md, docs/api.yaml).
//
//   GET  /api/v1/actions                    filters state, kind, target, playbook, detection,
//                                           before_id, limit → {"actions", "next_before_id"}
//   GET  /api/v1/actions/<id>               one action with its evidence
//   POST /api/v1/actions/<id>/approve       operator: {"comment", "duration_seconds"?,
//                                           "target"?} — a recommendation is carried out
//   POST /api/v1/actions/<id>/reject        operator: {"comment"}
//   POST /api/v1/actions/<id>/rollback      operator: {"comment"} — undo an active action
//   GET  /api/v1/respond                    engine state: kill switch, dry run, devices, counts
//   PUT  /api/v1/respond/kill-switch        admin: {"on": bool, "comment"}
//   GET  /api/v1/playbooks                  the loaded playbooks and load errors
//   GET  /api/v1/audit                      before_id, limit → {"entries"}
//   GET  /api/v1/audit/verify               the hash chain check
// Reading needs viewer; deciding needs operator; the kill switch needs admin. Decisions name
// the principal in the audit log. Without a Responder (respond disabled) the action routes
// still read the store, and deciding answers 503 saying how to enable it.
#pragma once

#include "store/store.h"

namespace httplib {
class Server;
}
namespace mamori::rse::respond {
class Responder;
}

namespace mamori::server {
namespace auth {
class Authenticator;
}

// Everything must outlive the server; `responder` may be null.
void RegisterRespondRoutes(httplib::Server& http, store::Store& store,
                           rse::respond::Responder* responder, auth::Authenticator& auth);

}  // namespace mamori::server
