// JSON answers shared by every route file, so bodies and errors have one shape (docs/api.md,
// "Errors"): {"error": {"code": "not_found", "message": "...", "context": "..."}}.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "core/error.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace mamori::server {

void SendJson(httplib::Response& res, int status, const nlohmann::json& body);
void SendError(httplib::Response& res, int status, const Error& error);
// With the status HttpStatusFor(error).
void SendError(httplib::Response& res, const Error& error);
// 400 invalid argument, 404 not found, 409 already exists or rejected (a refused state change),
// 503 busy, 500 otherwise.
int HttpStatusFor(const Error& error);
// The request body as a JSON object ({} for an empty body); nullopt after answering 400.
std::optional<nlohmann::json> JsonBody(const httplib::Request& req, httplib::Response& res);

}  // namespace mamori::server
