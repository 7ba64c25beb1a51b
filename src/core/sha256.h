// SHA-256 through OpenSSL's libcrypto (EVP), the one digest helper for the whole program:
// device-credential digests, ETags, the audit log's hash chain.
#pragma once

#include <string>
#include <string_view>

namespace mamori {

// Lower-case hex SHA-256 of `data` (64 characters). Returns "" only if libcrypto fails, which
// it does not for SHA-256 in a working installation; callers treat "" as matching nothing.
std::string Sha256Hex(std::string_view data);

}  // namespace mamori
