// Domain routes: how a malicious name was made and what to block (docs/api.md).
//
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
}

namespace mamori::server {

// `categorizer` (may be null) must outlive the server.
void RegisterDomainRoutes(httplib::Server& http, const domain::Categorizer* categorizer);

}  // namespace mamori::server
