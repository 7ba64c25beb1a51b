#include "core/log.h"

#include <fmt/format.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <array>
#include <memory>
#include <optional>
#include <string>

namespace mamori {

namespace {

// The level names of mamori.toml; spdlog calls "warn" "warning", and its from_str() maps any
// unknown name to "off", which would silence a mistyped level instead of reporting it.
constexpr std::array<std::pair<std::string_view, spdlog::level::level_enum>, 7> kLevels = {{
    {"trace", spdlog::level::trace},
    {"debug", spdlog::level::debug},
    {"info", spdlog::level::info},
    {"warn", spdlog::level::warn},
    {"error", spdlog::level::err},
    {"critical", spdlog::level::critical},
    {"off", spdlog::level::off},
}};

std::optional<spdlog::level::level_enum> ParseLevel(std::string_view name) {
  for (const auto& [level_name, level] : kLevels) {
    if (level_name == name) return level;
  }
  return std::nullopt;
}

std::string_view LevelName(spdlog::level::level_enum level) {
  for (const auto& [level_name, l] : kLevels) {
    if (l == level) return level_name;
  }
  return "unknown";
}

void Append(spdlog::memory_buf_t& dest, std::string_view s) {
  dest.append(s.data(), s.data() + s.size());
}

// Length of the valid UTF-8 sequence at the start of `s`, or 0 when it is not valid (stray
// continuation byte, overlong form, surrogate, beyond U+10FFFF, truncated).
size_t Utf8SequenceLength(std::string_view s) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char lead = byte(0);
  size_t length;
  unsigned char second_min = 0x80, second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second_min = 0xA0;
    if (lead == 0xED) second_max = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second_min = 0x90;
    if (lead == 0xF4) second_max = 0x8F;
  } else {
    return 0;
  }
  if (s.size() < length) return 0;
  if (byte(1) < second_min || byte(1) > second_max) return 0;
  for (size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  }
  return length;
}

enum class Escaping { kJson, kText };

// Messages often carry hostile input (feed lines, log lines, URLs). JSON escaping keeps each
// record one valid JSON object; in text mode, escaping control characters stops a crafted line
// from forging log records (CR/LF) or driving the terminal (ESC). Invalid UTF-8 becomes U+FFFD
// in both, because JSON readers reject it and terminals garble it.
void AppendEscaped(std::string_view s, Escaping mode, spdlog::memory_buf_t& dest) {
  size_t run_start = 0;
  auto flush_run = [&](size_t end) { Append(dest, s.substr(run_start, end - run_start)); };
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      size_t length = Utf8SequenceLength(s.substr(i));
      if (length != 0) {
        i += length;
        continue;
      }
      flush_run(i);
      Append(dest, "\xEF\xBF\xBD");
      run_start = ++i;
      continue;
    }
    std::string_view replacement;
    char numeric[8];
    if (c == '"' && mode == Escaping::kJson) {
      replacement = "\\\"";
    } else if (c == '\\' && mode == Escaping::kJson) {
      replacement = "\\\\";
    } else if (c == '\n') {
      replacement = "\\n";
    } else if (c == '\r') {
      replacement = "\\r";
    } else if (c == '\t') {
      if (mode == Escaping::kJson) replacement = "\\t";
    } else if (c == '\b' && mode == Escaping::kJson) {
      replacement = "\\b";
    } else if (c == '\f' && mode == Escaping::kJson) {
      replacement = "\\f";
    } else if (c < 0x20 || c == 0x7f) {
      auto end = mode == Escaping::kJson ? fmt::format_to(numeric, "\\u{:04x}", c)
                                         : fmt::format_to(numeric, "\\x{:02x}", c);
      replacement = std::string_view(numeric, static_cast<size_t>(end - numeric));
    }
    if (replacement.empty()) {
      ++i;
      continue;
    }
    flush_run(i);
    Append(dest, replacement);
    run_start = ++i;
  }
  flush_run(s.size());
}

class MessageFlag final : public spdlog::custom_flag_formatter {
 public:
  explicit MessageFlag(Escaping mode) : mode_(mode) {}
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    AppendEscaped(std::string_view(msg.payload.data(), msg.payload.size()), mode_, dest);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<MessageFlag>(mode_);
  }

 private:
  Escaping mode_;
};

// mamori's level names ("warn", not spdlog's "warning"), the same words mamori.toml accepts.
class LevelFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    Append(dest, LevelName(msg.level));
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<LevelFlag>();
  }
};

std::unique_ptr<spdlog::formatter> MakeFormatter(LogFormat format) {
  // %Q: escaped message; %W: level name. UTC everywhere, like the times mamori stores.
  auto formatter =
      std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc, "\n");
  formatter->add_flag<LevelFlag>('W');
  if (format == LogFormat::kJson) {
    formatter->add_flag<MessageFlag>('Q', Escaping::kJson);
    formatter->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%W","msg":"%Q"})");
  } else {
    formatter->add_flag<MessageFlag>('Q', Escaping::kText);
    formatter->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ [%^%W%$] %Q");
  }
  return formatter;
}

}  // namespace

Status InitLogging(std::string_view level, LogFormat format) {
  auto parsed = ParseLevel(level);
  if (!parsed) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("unknown log level '{}' (use one of trace, debug, info, warn, "
                                 "error, critical, off)",
                                 level));
  }
  try {
    std::shared_ptr<spdlog::sinks::sink> sink;
    if (format == LogFormat::kJson) {
      // No colour codes in JSON, even on a terminal.
      sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    } else {
      sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    }
    sink->set_formatter(MakeFormatter(format));
    auto logger = std::make_shared<spdlog::logger>("", std::move(sink));
    logger->set_level(*parsed);
    spdlog::set_default_logger(std::move(logger));
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInternal, fmt::format("cannot set up logging: {}", e.what()));
  }
  return Ok();
}

}  // namespace mamori
