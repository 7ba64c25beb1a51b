// Signed JSON POSTs, shared by the webhook and EDR actuators (docs/formats/response-webhook.md):
// the body goes out with
//   X-Mamori-Timestamp: <unix seconds>
//   X-Mamori-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>
// so a receiver can check that the request comes from a holder of the shared secret and is not
// a replay of an old one. The secret is the content of a file (trailing white space and line
// breaks dropped), read on every send, so a rotated secret applies without a restart. Plain
// functions; thread-safe when the HttpClient is.
#pragma once

#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/error.h"
#include "feeds/http_client.h"

namespace mamori::rse::respond::actuators {

// Lower-case hex HMAC-SHA256 of `data` under `key` (64 characters), through OpenSSL.
std::string HmacSha256Hex(std::string_view key, std::string_view data);

// The secret in `path`. kNotFound / kIo / kInvalidArgument (empty file) name the file and
// `key_name`, the mamori.toml key that points at it.
Expected<std::string> ReadSecretFile(const std::string& path, std::string_view key_name);

struct SignedPost {
  std::string device;  // "webhook", "edr": for errors
  std::string url;
  std::string secret_file;      // file holding the HMAC key
  std::string secret_key_name;  // "[respond] webhook_secret_file": for errors
  std::string body;             // JSON
  std::string target;           // the action's target: for errors
};

// POSTs `post.body` as application/json, signed with the secret at `post.secret_file` and the
// time from `clock`. A 2xx answer is success; any other status is an error naming the device,
// the URL and the status, with the start of the answer's body: kRejected for a 4xx (the
// receiver refused the request: fix the secret or the payload), kNetwork for the rest.
// Transport errors are those of HttpClient::Post.
Status PostSigned(feeds::HttpClient& http, Clock& clock, const SignedPost& post);

}  // namespace mamori::rse::respond::actuators
