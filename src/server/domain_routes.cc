#include "server/domain_routes.h"

#include <httplib.h>

#include "domain/category/categorizer.h"
#include "domain/category/json.h"
#include "server/json_reply.h"

namespace mamori::server {

void RegisterDomainRoutes(httplib::Server& http, const domain::Categorizer* categorizer) {
  http.Get(R"(/api/v1/domains/(.+)/category)",
           [categorizer](const httplib::Request& req, httplib::Response& res) {
             // httplib has decoded the path: a URL given percent-encoded arrives whole.
             const std::string name = req.matches[1].str();
             if (categorizer == nullptr) {
               return SendError(res, 503,
                                Error{ErrorCode::kUnsupported,
                                      "this server has no domain categorizer", name});
             }
             auto result = categorizer->Categorize(name);
             if (!result) return SendError(res, 400, result.error());
             SendJson(res, 200, domain::CategorizationToJson(*result));
           });
}

}  // namespace mamori::server
