#include "server/domain_routes.h"

#include <httplib.h>

#include "domain/category/categorizer.h"
#include "domain/category/json.h"
#include "domain/category/target.h"
#include "domain/reputation/categorize_with_evidence.h"
#include "domain/reputation/json.h"
#include "domain/reputation/service.h"
#include "server/json_reply.h"

namespace mamori::server {

void RegisterDomainRoutes(httplib::Server& http, const domain::Categorizer* categorizer,
                          domain::reputation::ReputationService* reputation) {
  http.Get(R"(/api/v1/domains/([^/]+))",
           [reputation](const httplib::Request& req, httplib::Response& res) {
             const std::string name = req.matches[1].str();
             if (reputation == nullptr) {
               return SendError(res, 503,
                                Error{ErrorCode::kUnsupported,
                                      "this server has no reputation model", name});
             }
             UnixSeconds at = 0;
             if (req.has_param("at")) {
               at = ParseTimestamp(req.get_param_value("at"));
               if (at < 0) {
                 return SendError(res, 400,
                                  Error{ErrorCode::kInvalidArgument,
                                        "'at' must be a date (YYYY-MM-DD), an ISO 8601 time or "
                                        "Unix seconds",
                                        name});
               }
             }
             size_t top = 5;
             if (req.has_param("top")) {
               const std::string t = req.get_param_value("top");
               if (t.empty() || t.size() > 2 || t.find_first_not_of("0123456789") != std::string::npos) {
                 return SendError(res, 400,
                                  Error{ErrorCode::kInvalidArgument, "'top' must be 0–99", name});
               }
               top = std::stoul(t);
             }
             auto result = reputation->Explain(name, at, top);
             if (!result) {
               return SendError(res, result.error().code == ErrorCode::kInvalidArgument ? 400 : 500,
                                result.error());
             }
             SendJson(res, 200, domain::reputation::ScoreResultToJson(*result));
           });
  http.Get(R"(/api/v1/domains/(.+)/category)",
           [categorizer, reputation](const httplib::Request& req, httplib::Response& res) {
             // httplib has decoded the path: a URL given percent-encoded arrives whole.
             const std::string name = req.matches[1].str();
             if (categorizer == nullptr) {
               return SendError(res, 503,
                                Error{ErrorCode::kUnsupported,
                                      "this server has no domain categorizer", name});
             }
             auto target = domain::ParseTarget(name);
             if (!target) return SendError(res, 400, target.error());
             // With the store's lifecycle and passive-DNS evidence when the server keeps an index.
             auto result =
                 domain::reputation::CategorizeWithEvidence(*categorizer, reputation, *target);
             if (!result) return SendError(res, 400, result.error());
             SendJson(res, 200, domain::CategorizationToJson(*result));
           });
}

}  // namespace mamori::server
