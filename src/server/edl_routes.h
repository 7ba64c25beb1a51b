// EDL routes: device blocklists over HTTP, as firewalls and resolvers poll them (docs/api.md).
//
//   GET|HEAD /edl/<profile>.txt      the published list (also /edl/<profile>.<native ext>:
//                                    .nft, .ipset, .rpz, .csv, .json); needs the profile's
//                                    credentials (Bearer token or HTTP basic auth)
//   GET      /api/v1/blocklists      status of every profile, without content or secrets
//
// Responses of /edl/:
//   200  content, Content-Type of the kind, strong ETag, Last-Modified, Cache-Control: no-cache
//   304  If-None-Match matches the current ETag
//   401  the profile needs credentials and they are missing or wrong (WWW-Authenticate)
//   404  unknown profile, wrong extension, or a profile without configured credentials (never
//        served); one body for all three so the answer does not tell which
//   503  the profile is known but nothing is published yet (Retry-After)
// Credentials are checked by comparing SHA-256 digests in constant time; secrets never appear
// in logs or responses. What is served is always the last good build (PublishedLists).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/sha256.h"
#include "rse/blocklist/profile.h"
#include "rse/blocklist/published.h"

namespace httplib {
class Server;
}

namespace mamori::server {

// Registers the routes above. `lists` may be null (nothing is served; the listing is empty);
// otherwise it must outlive the server. `profiles` is copied.
void RegisterEdlRoutes(httplib::Server& http, const rse::blocklist::PublishedLists* lists,
                       std::vector<rse::blocklist::DeviceProfile> profiles);

// Building blocks, exposed for tests.

using mamori::Sha256Hex;  // core/sha256.h: lower-case hex SHA-256
// True when the Authorization header value satisfies the profile's configured auth: "Bearer T"
// with SHA-256(T) = bearer_token_sha256, or "Basic base64(user:password)" with the user and
// SHA-256(password). False when no auth is configured.
bool CheckDeliveryAuth(const rse::blocklist::DeliveryAuth& auth, std::string_view authorization);
// True when an If-None-Match header value ("*", or a list of entity tags, weak or strong)
// matches `etag` (weak comparison, RFC 9110 13.1.2).
bool EtagMatches(std::string_view if_none_match, std::string_view etag);
// RFC 9110 IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
std::string HttpDate(UnixSeconds t);

}  // namespace mamori::server
