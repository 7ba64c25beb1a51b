#include "server/tls.h"

#include <fmt/format.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <memory>

namespace mamori::server {
namespace {

struct FileCloser {
  void operator()(FILE* f) const { std::fclose(f); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

Expected<std::unique_ptr<FILE, FileCloser>> OpenFile(const std::string& path,
                                                     std::string_view what) {
  std::unique_ptr<FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
  if (!f) {
    return MakeError(ErrorCode::kIo,
                     fmt::format("cannot read the TLS {} ([server] tls_{}): check the path and "
                                 "its permissions",
                                 what, what == "certificate" ? "cert" : "key"),
                     path);
  }
  return f;
}

// OpenSSL's default would prompt on the terminal for an encrypted key; refuse instead.
int NoPassphrase(char*, int, int, void*) { return 0; }

}  // namespace

Status CheckTlsFiles(const std::string& cert_path, const std::string& key_path) {
  if (cert_path.empty() && key_path.empty()) return Ok();
  if (cert_path.empty() || key_path.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "[server] tls_cert and tls_key must be set together (both or neither)",
                     cert_path.empty() ? key_path : cert_path);
  }
  MAMORI_ASSIGN_OR_RETURN(auto cert_file, OpenFile(cert_path, "certificate"));
  std::unique_ptr<X509, X509Free> cert(PEM_read_X509(cert_file.get(), nullptr, nullptr, nullptr));
  if (!cert) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "[server] tls_cert holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
                     cert_path);
  }
  MAMORI_ASSIGN_OR_RETURN(auto key_file, OpenFile(key_path, "key"));
  std::unique_ptr<EVP_PKEY, PkeyFree> key(
      PEM_read_PrivateKey(key_file.get(), nullptr, NoPassphrase, nullptr));
  if (!key) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "[server] tls_key holds no unencrypted PEM private key", key_path);
  }
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        fmt::format("[server] tls_key does not belong to the certificate {}", cert_path), key_path);
  }
  return Ok();
}

}  // namespace mamori::server
