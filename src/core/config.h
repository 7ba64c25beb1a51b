// mamori.toml: the configuration of one mamori instance.
//
// Every key has a working default, so an absent or empty file is a valid configuration.
// Unknown sections or keys are errors that name the key and the file ("mamori.toml: unknown key
// 'server.prot'"), because a silently ignored typo in a security tool is a hole. Values of the
// wrong type or out of range are errors naming the key and the allowed range.
// Load once at start-up; the resulting struct is a plain value.
#pragma once

#include <cstdint>
#include <string>

#include "core/error.h"

namespace mamori {

struct Config {
  struct Server {
    std::string listen = "127.0.0.1";  // [server] listen
    int port = 8080;                   // [server] port (1..65535)
  } server;
  struct Store {
    std::string path = "var/mamori.db";  // [store] path
    int busy_timeout_ms = 5000;          // [store] busy_timeout_ms
  } store;
  struct Log {
    std::string level = "info";  // [log] level: trace|debug|info|warn|error|critical|off
    std::string format = "text";  // [log] format: text|json
  } log;
  struct Feeds {
    int64_t max_download_bytes = 256LL << 20;  // [feeds] max_download_bytes
    int timeout_seconds = 60;                  // [feeds] timeout_seconds (whole transfer)
    int connect_timeout_seconds = 15;          // [feeds] connect_timeout_seconds
    int retries = 3;                           // [feeds] retries (after the first attempt)
    int retry_backoff_ms = 1000;               // [feeds] retry_backoff_ms (doubles each retry)
    double max_invalid_share = 0.5;            // [feeds] max_invalid_share (0..1)
    std::string user_agent = "mamori/0.1";     // [feeds] user_agent
    std::string sample_feeds_dir = "data/feeds";  // [feeds] sample_feeds_dir
    bool load_sample_feeds = true;             // [feeds] load_sample_feeds (on first start)
  } feeds;
  struct Scheduler {
    bool enabled = true;         // [scheduler] enabled
    int tick_seconds = 30;       // [scheduler] tick_seconds
  } scheduler;
};

// Loads `path`. A missing file is an error only when `must_exist`.
Expected<Config> LoadConfig(const std::string& path, bool must_exist);
// Parses TOML text; `origin` names the text in errors.
Expected<Config> ParseConfig(std::string_view toml_text, std::string_view origin);
// The full default configuration as commented TOML (for `mamori config defaults`).
std::string DefaultConfigToml();

}  // namespace mamori
