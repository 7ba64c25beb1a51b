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
    bool require_auth = true;          // [server] require_auth
    int session_hours = 12;            // [server] session_hours (1..720)
    std::string tls_cert;              // [server] tls_cert (PEM; with tls_key)
    std::string tls_key;               // [server] tls_key (PEM; with tls_cert)
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
  struct Blocklist {
    std::string profiles_dir = "profiles";            // [blocklist] profiles_dir
    std::string builtin_profiles_dir = "data/profiles";  // [blocklist] builtin_profiles_dir
    std::string output_dir = "var/blocklists";        // [blocklist] output_dir
    bool builtin_warninglists = true;                 // [blocklist] builtin_warninglists
    std::string warninglists_dir = "warninglists";    // [blocklist] warninglists_dir
    int ip_lifetime_days = 30;                        // [blocklist] ip_lifetime_days
    int domain_lifetime_days = 90;                    // [blocklist] domain_lifetime_days
    int url_lifetime_days = 60;                       // [blocklist] url_lifetime_days
    int hash_lifetime_days = 365;                     // [blocklist] hash_lifetime_days
    double decay_speed = 0.3;                         // [blocklist] decay_speed
    bool aggregate = true;                            // [blocklist] aggregate
    int min_prefix_v4 = 16;                           // [blocklist] min_prefix_v4
    int min_prefix_v6 = 48;                           // [blocklist] min_prefix_v6
    double collateral_penalty = 0.05;                 // [blocklist] collateral_penalty
    double churn_threshold = 0.1;                     // [blocklist] churn_threshold
    double sighting_weight = 0.8;                     // [blocklist] sighting_weight
    double observed_collateral = 1.0;                 // [blocklist] observed_collateral
    bool build_on_serve = true;                       // [blocklist] build_on_serve
  } blocklist;
  struct Collect {
    std::string inputs;             // [collect] inputs: "FORMAT@SOURCE, ..." ("" = none)
    std::string rules = "rules";    // [collect] rules: rule file or directory
    std::string start_at = "beginning";  // [collect] start_at: beginning|end (new files)
    int queue_capacity = 65536;     // [collect] queue_capacity (messages)
    int sync_interval_ms = 200;     // [collect] sync_interval_ms
  } collect;
  struct Respond {
    bool enabled = true;                        // [respond] enabled
    std::string playbooks = "rules/playbooks";  // [respond] playbooks: file or directory
    bool dry_run = false;                       // [respond] dry_run
    bool kill_switch = false;                   // [respond] kill_switch (at first start)
    std::string own_infrastructure;             // [respond] own_infrastructure: CIDRs, domains
    int rate_per_minute = 30;                   // [respond] rate_per_minute (automatic actions)
    int rate_per_target_per_hour = 3;           // [respond] rate_per_target_per_hour
    int default_duration_seconds = 3600;        // [respond] default_duration_seconds
    int reconcile_seconds = 60;                 // [respond] reconcile_seconds
    std::string nftables_family = "inet";       // [respond] nftables_family
    std::string nftables_table = "mamori_respond";  // [respond] nftables_table ("" = none)
    std::string ipset_name;                     // [respond] ipset_name ("" = none)
    std::string rpz_zone_file;                  // [respond] rpz_zone_file ("" = none)
    std::string rpz_origin = "rpz.mamori.";     // [respond] rpz_origin
    std::string rpz_reload_command;             // [respond] rpz_reload_command
    std::string webhook_url;                    // [respond] webhook_url ("" = none)
    std::string webhook_secret_file;            // [respond] webhook_secret_file
    std::string edr_url;                        // [respond] edr_url ("" = none)
    std::string edr_secret_file;                // [respond] edr_secret_file
    std::string syslog_target;                  // [respond] syslog_target ("" = none)
    std::string email_command;                  // [respond] email_command ("" = none)
    std::string email_from = "mamori@localhost";  // [respond] email_from
    std::string email_to;                       // [respond] email_to
  } respond;
  struct Analysis {
    bool enabled = true;                      // [analysis] enabled (POST /api/v1/samples)
    std::string samples_dir = "var/samples";  // [analysis] samples_dir
    int max_sample_mb = 32;                   // [analysis] max_sample_mb (1..1024)
    int workers = 1;                          // [analysis] workers (1..64)
    int memory_limit_mb = 4096;               // [analysis] memory_limit_mb (64..1048576)
    int address_space_mb = 32768;             // [analysis] address_space_mb (1024..4194304)
    int timeout_seconds = 60;                 // [analysis] timeout_seconds (5..86400)
  } analysis;
};

// Loads `path`. A missing file is an error only when `must_exist`.
Expected<Config> LoadConfig(const std::string& path, bool must_exist);
// Parses TOML text; `origin` names the text in errors.
Expected<Config> ParseConfig(std::string_view toml_text, std::string_view origin);
// The full default configuration as commented TOML (for `mamori config defaults`).
std::string DefaultConfigToml();

}  // namespace mamori
