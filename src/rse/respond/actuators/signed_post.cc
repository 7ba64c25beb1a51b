#include "rse/respond/actuators/signed_post.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "rse/respond/actuators/common.h"

namespace mamori::rse::respond::actuators {

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest,
           &length) == nullptr) {
    return {};
  }
  std::string hex;
  hex.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i)
    fmt::format_to(std::back_inserter(hex), "{:02x}", digest[i]);
  return hex;
}

Expected<std::string> ReadSecretFile(const std::string& path, std::string_view key_name) {
  if (path.empty()) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        fmt::format("no secret file: set {} to a file holding the shared secret", key_name));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    int err = errno;
    return MakeError(
        err == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
        fmt::format("cannot read the secret file named by {}: {}", key_name, std::strerror(err)),
        path);
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string secret = std::move(text).str();
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r' ||
                             secret.back() == ' ' || secret.back() == '\t')) {
    secret.pop_back();
  }
  if (secret.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("the secret file named by {} is empty: write the shared secret "
                                 "into it (e.g. openssl rand -hex 32 > FILE)",
                                 key_name),
                     path);
  }
  return secret;
}

Status PostSigned(feeds::HttpClient& http, Clock& clock, const SignedPost& post) {
  const std::string context =
      fmt::format("{} {} (target {})", post.device, post.url, OneLine(post.target, 100));
  auto secret = ReadSecretFile(post.secret_file, post.secret_key_name);
  if (!secret) return tl::unexpected(secret.error().WithContext(post.device));
  const std::string timestamp = std::to_string(clock.Now());
  const std::string signature = HmacSha256Hex(*secret, timestamp + "." + post.body);
  if (signature.empty()) {
    return MakeError(ErrorCode::kInternal, "libcrypto could not compute the HMAC", context);
  }
  feeds::HttpRequest request;
  request.url = post.url;
  request.headers = {{"X-Mamori-Timestamp", timestamp},
                     {"X-Mamori-Signature", "sha256=" + signature}};
  auto response = http.Post(request, post.body, "application/json");
  if (!response) return tl::unexpected(response.error().WithContext(context));
  if (response->status >= 200 && response->status < 300) return Ok();
  const bool refused = response->status >= 400 && response->status < 500;
  return MakeError(refused ? ErrorCode::kRejected : ErrorCode::kNetwork,
                   fmt::format("the receiver answered HTTP {}{}: {}", response->status,
                               refused ? " (it refused the request: check the shared secret and "
                                         "what it expects)"
                                       : "",
                               OneLine(response->body, 300)),
                   context);
}

}  // namespace mamori::rse::respond::actuators
