#include "server/detection_routes.h"

#include <httplib.h>

#include <map>
#include <nlohmann/json.hpp>

#include "rse/detect/detection_json.h"
#include "rse/ingest/event_json.h"
#include "server/json_reply.h"

namespace mamori::server {
namespace {

using nlohmann::json;

}  // namespace

void RegisterDetectionRoutes(httplib::Server& http, store::Store& store, Clock& clock) {
  http.Get("/api/v1/detections", [&store, &clock](const httplib::Request& req,
                                                  httplib::Response& res) {
    std::map<std::string, std::string> params;
    for (const auto& [name, value] : req.params) params[name] = value;
    auto query = rse::detect::ParseDetectionQuery(params, clock.Now());
    if (!query) return SendError(res, 400, query.error());
    query->with_evidence = false;  // the list shows none; GET /detections/<id> has it
    auto found = store.ListDetections(*query);
    if (!found) return SendError(res, 500, found.error());
    json list = json::array();
    for (const auto& d : *found) list.push_back(rse::detect::DetectionRecordToJson(d, false));
    // A full page may have more behind it: the client asks again with before=<last id>.
    json next = found->size() == static_cast<size_t>(query->limit) && !found->empty()
                    ? json(found->back().id)
                    : json(nullptr);
    SendJson(res, 200, {{"detections", list}, {"next_before", next}});
  });

  http.Get(R"(/api/v1/detections/(\d{1,18}))", [&store](const httplib::Request& req,
                                                       httplib::Response& res) {
    auto found = store.GetDetection(std::stoll(req.matches[1].str()));
    if (!found) return SendError(res, 500, found.error());
    if (!*found) {
      return SendError(res, 404,
                       Error{ErrorCode::kNotFound, "no such detection", req.matches[1].str()});
    }
    SendJson(res, 200, rse::detect::DetectionRecordToJson(**found, true));
  });
}

}  // namespace mamori::server
