// TLS files of `mamori serve` ([server] tls_cert, tls_key): checked before the server starts so
// a wrong path or a key of another certificate is an error naming the file, not a server that
// silently fails every handshake. Stateless; thread-safe.
#pragma once

#include <string>

#include "core/error.h"

namespace mamori::server {

// Ok when both are empty (plain HTTP) or both name readable PEM files whose private key matches
// the certificate. Errors: only one set (kInvalidArgument), unreadable or not PEM (kIo /
// kInvalidArgument with the path as context), key of another certificate (kInvalidArgument).
Status CheckTlsFiles(const std::string& cert_path, const std::string& key_path);

}  // namespace mamori::server
