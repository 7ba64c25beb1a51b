// Process-wide logging through spdlog.
//
// InitLogging() configures the default logger once at start-up (level, and text or JSON lines
// on stderr); library code then logs with spdlog::info/warn/... directly. JSON lines carry
// {"time","level","msg"} so log shippers can read them. Thread-safe after InitLogging.
#pragma once

#include <string_view>

#include "core/error.h"

namespace mamori {

enum class LogFormat { kText, kJson };

// `level` is one of trace, debug, info, warn, error, critical, off.
Status InitLogging(std::string_view level, LogFormat format);

}  // namespace mamori
