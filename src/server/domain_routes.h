// Domain routes: how a malicious name was made and what to block (docs/api.md).
//
//   GET /api/v1/domains/<name>            reputation: score 0–100, whether it is called malicious,
//                                         the reasons in plain words and every feature's value
//                                         (docs/domain-reputation.md); ?at=DATE scores as of that
//                                         date, ?top=N reasons (5); 400 when not a domain name;
//                                         503 without a reputation service.
//   GET /api/v1/domains/<name>/category   the categorization of a name (or of a URL, percent-
//                                         encoded) — domain/category/json.h for the body; 400
//                                         when it is not a name, URL or address; 503 when the
//                                         server runs without a categorizer.
// Read-only.
#pragma once

namespace httplib {
class Server;
}

namespace mamori::domain {
class Categorizer;
namespace reputation {
class ReputationService;
}
}

namespace mamori::server {

// `categorizer` and `reputation` (either may be null) must outlive the server.
void RegisterDomainRoutes(httplib::Server& http, const domain::Categorizer* categorizer,
                          domain::reputation::ReputationService* reputation);

}  // namespace mamori::server
