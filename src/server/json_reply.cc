#include "server/json_reply.h"

#include <httplib.h>

namespace mamori::server {

void SendJson(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n",
                  "application/json");
}

void SendError(httplib::Response& res, int status, const Error& error) {
  SendJson(res, status,
           {{"error",
             {{"code", ErrorCodeName(error.code)},
              {"message", error.message},
              {"context", error.context}}}});
}

void SendError(httplib::Response& res, const Error& error) {
  SendError(res, HttpStatusFor(error), error);
}

int HttpStatusFor(const Error& error) {
  switch (error.code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kRejected:
      return 409;
    case ErrorCode::kBusy:
      return 503;
    default:
      return 500;
  }
}

std::optional<nlohmann::json> JsonBody(const httplib::Request& req, httplib::Response& res) {
  if (req.body.empty()) return nlohmann::json::object();
  auto body = nlohmann::json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    SendError(res,
              Error{ErrorCode::kInvalidArgument, "the request body must be a JSON object", ""});
    return std::nullopt;
  }
  return body;
}

}  // namespace mamori::server
