#include "cli/context.h"

#include <fmt/format.h>
#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <iostream>

#include "core/log.h"

namespace mamori::cli {

Expected<Config*> Context::GetConfig() {
  if (config_) return &*config_;
  auto loaded = LoadConfig(options.config_path, options.config_given);
  if (!loaded) return tl::unexpected(loaded.error());
  config_ = std::move(*loaded);
  if (!options.db_path.empty()) config_->store.path = options.db_path;
  if (!options.log_level.empty()) {
    config_->log.level = options.log_level;
  } else if (options.quiet_info && config_->log.level == "info") {
    config_->log.level = "warn";
  }
  if (options.log_json) config_->log.format = "json";
  MAMORI_RETURN_IF_ERROR(InitLogging(
      config_->log.level, config_->log.format == "json" ? LogFormat::kJson : LogFormat::kText));
  return &*config_;
}

Expected<store::Store*> Context::GetStore() {
  if (store_) return store_.get();
  MAMORI_ASSIGN_OR_RETURN(Config * config, GetConfig());
  store::SqliteOptions sqlite;
  sqlite.busy_timeout_ms = config->store.busy_timeout_ms;
  MAMORI_ASSIGN_OR_RETURN(store_, store::OpenSqliteStore(config->store.path, sqlite));
  return store_.get();
}

CLI::App* AddCommand(CLI::App& parent, const std::string& name, std::string_view help) {
  auto newline = help.find('\n');
  std::string summary(help.substr(0, newline));
  CLI::App* cmd = parent.add_subcommand(name, summary);
  if (newline != std::string_view::npos) {
    cmd->footer("\n" + std::string(help.substr(newline + 1)));
  }
  return cmd;
}

int Fail(const Error& error) {
  std::cerr << "mamori: " << error.ToString() << "\n";
  return 1;
}

// Reports carry strings a sample controls: bytes that are not UTF-8 print as U+FFFD, never throw.
void PrintJson(const nlohmann::json& value) {
  std::cout << value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

bool StderrIsTerminal() { return isatty(STDERR_FILENO) == 1; }

sigset_t BlockStopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

Expected<int> ParseDuration(std::string_view text) {
  if (text.empty()) return MakeError(ErrorCode::kInvalidArgument, "empty duration");
  int multiplier = 1;
  std::string_view digits = text;
  switch (text.back()) {
    case 's':
      multiplier = 1;
      digits.remove_suffix(1);
      break;
    case 'm':
      multiplier = 60;
      digits.remove_suffix(1);
      break;
    case 'h':
      multiplier = 3600;
      digits.remove_suffix(1);
      break;
    case 'd':
      multiplier = 86400;
      digits.remove_suffix(1);
      break;
    default:
      break;
  }
  int value = 0;
  auto r = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || r.ec != std::errc() || r.ptr != digits.data() + digits.size() ||
      value <= 0 || value > 365 * 86400 / multiplier) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "not a duration; use seconds or a number with s/m/h/d, e.g. 90s, 15m, 6h, 1d",
                     std::string(text));
  }
  return value * multiplier;
}

std::string FormatDuration(int seconds) {
  if (seconds % 86400 == 0) return fmt::format("{}d", seconds / 86400);
  if (seconds % 3600 == 0) return fmt::format("{}h", seconds / 3600);
  if (seconds % 60 == 0) return fmt::format("{}m", seconds / 60);
  return fmt::format("{}s", seconds);
}

std::string WithThousands(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

}  // namespace mamori::cli
