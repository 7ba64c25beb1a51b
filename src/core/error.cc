#include "core/error.h"

namespace mamori {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kAlreadyExists:
      return "already_exists";
    case ErrorCode::kIo:
      return "io";
    case ErrorCode::kCorrupt:
      return "corrupt";
    case ErrorCode::kBusy:
      return "busy";
    case ErrorCode::kNetwork:
      return "network";
    case ErrorCode::kTimeout:
      return "timeout";
    case ErrorCode::kTooLarge:
      return "too_large";
    case ErrorCode::kUnsupported:
      return "unsupported";
    case ErrorCode::kRejected:
      return "rejected";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "unknown";
}

std::string Error::ToString() const {
  if (context.empty()) return message;
  return context + ": " + message;
}

Error Error::WithContext(std::string_view outer) const {
  Error e = *this;
  if (e.context.empty()) {
    e.context = std::string(outer);
  } else {
    e.context = std::string(outer) + ": " + e.context;
  }
  return e;
}

}  // namespace mamori
