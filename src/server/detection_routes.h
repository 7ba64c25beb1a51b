// Detection routes: what the rules found in the logs (docs/api.md).
//
//   GET /api/v1/detections        newest first; query parameters since, until, rule, group,
//                                 level, ongoing, before, limit (rse/detect/detection_json.h).
//                                 Body: {"detections": [...without evidence...],
//                                        "next_before": ID or null}
//   GET /api/v1/detections/<id>   one detection with its evidence events; 404 when unknown
// Read-only; bad parameters get 400 with the parameter named.
#pragma once

#include "core/clock.h"
#include "store/store.h"

namespace httplib {
class Server;
}

namespace mamori::server {

// `store` and `clock` must outlive the server.
void RegisterDetectionRoutes(httplib::Server& http, store::Store& store, Clock& clock);

}  // namespace mamori::server
