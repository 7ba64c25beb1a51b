// Error values for every library boundary in mamori.
//
// Functions that can fail return `Expected<T>` (a `tl::expected<T, Error>`) or `Status`
// (`Expected<void>`). An `Error` says what failed (`code`, `message`), on which input and where
// (`context`, e.g. "feeds/abuse.txt:17"), and, in the message, what the user can do about it.
// Nothing in mamori throws across a library boundary; third-party exceptions are caught where
// the third-party code is called and turned into an `Error`.
#pragma once

#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <utility>

namespace mamori {

enum class ErrorCode {
  kInvalidArgument,  // bad input from the user or from a feed
  kNotFound,
  kAlreadyExists,
  kIo,       // file system
  kCorrupt,  // a file exists but its content is not what we expect
  kBusy,     // locked database, resource in use
  kNetwork,  // connection, DNS, TLS
  kTimeout,
  kTooLarge,     // size caps
  kUnsupported,  // valid input we do not handle (yet)
  kRejected,     // input refused by a safety rule, e.g. a feed update that would delist too much
  kInternal,
};

std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::string context;  // the input and position the error is about; may be empty

  // "context: message" or just "message".
  std::string ToString() const;
  // Returns a copy with `outer` prefixed to the context ("outer: inner-context").
  Error WithContext(std::string_view outer) const;
};

template <typename T>
using Expected = tl::expected<T, Error>;
using Status = Expected<void>;

inline tl::unexpected<Error> MakeError(ErrorCode code, std::string message,
                                       std::string context = {}) {
  return tl::unexpected<Error>(Error{code, std::move(message), std::move(context)});
}

inline Status Ok() { return {}; }

}  // namespace mamori

// Evaluates `expr` (an Expected/Status); on error returns the error from the enclosing function.
#define MAMORI_RETURN_IF_ERROR(expr)                                    \
  do {                                                                  \
    auto&& mamori_status_ = (expr);                                     \
    if (!mamori_status_) return tl::unexpected(mamori_status_.error()); \
  } while (0)

#define MAMORI_CONCAT_INNER_(a, b) a##b
#define MAMORI_CONCAT_(a, b) MAMORI_CONCAT_INNER_(a, b)
// MAMORI_ASSIGN_OR_RETURN(auto x, Foo()); assigns the value or returns the error.
#define MAMORI_ASSIGN_OR_RETURN(lhs, expr)                                     \
  auto MAMORI_CONCAT_(mamori_expected_, __LINE__) = (expr);                    \
  if (!MAMORI_CONCAT_(mamori_expected_, __LINE__))                             \
    return tl::unexpected(MAMORI_CONCAT_(mamori_expected_, __LINE__).error()); \
  lhs = std::move(*MAMORI_CONCAT_(mamori_expected_, __LINE__))
