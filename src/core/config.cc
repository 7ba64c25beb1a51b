#include "core/config.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <system_error>
#include <variant>
#include <vector>

#include "core/toml_where.h"

namespace mamori {

namespace {

// The one table of configuration keys. DefaultConfigToml(), validation and the reference in
// docs/formats/mamori-toml.md are all derived from it (config_test checks the doc and
// mamori.toml.example against it), so a new key needs exactly one line here plus its field in
// Config. Defaults live only in the Config struct and are read back through `field`.

using FieldRef = std::variant<std::string*, int*, int64_t*, double*, bool*>;

constexpr int64_t kIntMax = std::numeric_limits<int>::max();
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

struct KeyDescriptor {
  std::string_view section;
  std::string_view name;
  FieldRef (*field)(Config&);
  // Inclusive range for integer fields (bounded by the field's C++ type as well).
  int64_t int_min = 0;
  int64_t int_max = kIntMax;
  // Inclusive range for floating-point fields.
  double real_min = 0;
  double real_max = 0;
  // For string fields: the allowed values; empty means any non-empty string.
  std::span<const std::string_view> choices = {};
  bool allow_empty = false;  // string fields without choices: "" is a valid value
  std::string_view help;
};

struct SectionDescriptor {
  std::string_view name;
  std::string_view help;
};

constexpr std::string_view kLogLevels[] = {"trace", "debug",    "info", "warn",
                                           "error", "critical", "off"};
constexpr std::string_view kLogFormats[] = {"text", "json"};
constexpr std::string_view kStartAt[] = {"beginning", "end"};
constexpr std::string_view kNftFamilies[] = {"inet", "ip", "ip6", "bridge", "netdev"};

constexpr SectionDescriptor kSections[] = {
    {"server", "The HTTP API and web UI started by `mamori serve`."},
    {"store", "The embedded SQLite database."},
    {"log", "Diagnostics written to stderr."},
    {"feeds", "Downloading and accepting threat-intel feeds."},
    {"scheduler", "Periodic feed refresh inside `mamori serve`."},
    {"blocklist", "Prioritized device blocklists (`mamori blocklist`, /edl/ in `mamori serve`)."},
    {"collect", "Log collection and detection inside `mamori serve` (and `mamori collect`)."},
    {"respond", "Playbooks, automatic countermeasures and recommendations (docs/respond.md)."},
    {"analysis", "Malware samples submitted to `mamori serve` (docs/malware.md)."},
};

#define MAMORI_FIELD(path) [](Config& c) -> FieldRef { return &c.path; }

const KeyDescriptor kKeys[] = {
    {.section = "server",
     .name = "listen",
     .field = MAMORI_FIELD(server.listen),
     .help = "Address the HTTP server binds to. Keep the loopback default unless a firewall or "
             "reverse proxy protects the port: the API serves device blocklists."},
    {.section = "server",
     .name = "port",
     .field = MAMORI_FIELD(server.port),
     .int_min = 1,
     .int_max = 65535,
     .help = "TCP port of the HTTP server."},
    {.section = "server",
     .name = "require_auth",
     .field = MAMORI_FIELD(server.require_auth),
     .help = "Every /api/v1 endpoint except health and login needs a session or an API token "
             "(`mamori users add`, `mamori tokens create`). Turn off only behind a proxy that "
             "authenticates; endpoints that change state always need credentials."},
    {.section = "server",
     .name = "session_hours",
     .field = MAMORI_FIELD(server.session_hours),
     .int_min = 1,
     .int_max = 720,
     .help = "Lifetime of a web console login; the user logs in again after it."},
    {.section = "server",
     .name = "tls_cert",
     .field = MAMORI_FIELD(server.tls_cert),
     .allow_empty = true,
     .help = "PEM certificate chain: with tls_key, the server speaks HTTPS only and marks its "
             "session cookie Secure. Empty: plain HTTP."},
    {.section = "server",
     .name = "tls_key",
     .field = MAMORI_FIELD(server.tls_key),
     .allow_empty = true,
     .help = "PEM private key of tls_cert (set both or neither)."},
    {.section = "store",
     .name = "path",
     .field = MAMORI_FIELD(store.path),
     .help = "SQLite database file, relative to the working directory unless absolute. Its "
             "directory is created on first start."},
    {.section = "store",
     .name = "busy_timeout_ms",
     .field = MAMORI_FIELD(store.busy_timeout_ms),
     .int_min = 0,
     .help = "How long a write waits for a lock held by another process before failing with "
             "'database is busy'. 0 fails at once."},
    {.section = "log",
     .name = "level",
     .field = MAMORI_FIELD(log.level),
     .choices = kLogLevels,
     .help = "Least severe message that is written."},
    {.section = "log",
     .name = "format",
     .field = MAMORI_FIELD(log.format),
     .choices = kLogFormats,
     .help = "'text' for people, 'json' for one JSON object per line "
             "({\"time\",\"level\",\"msg\"}) for log shippers."},
    {.section = "feeds",
     .name = "max_download_bytes",
     .field = MAMORI_FIELD(feeds.max_download_bytes),
     .int_min = 1,
     .int_max = kInt64Max,
     .help = "Size cap of one feed download in bytes (default 256 MiB). A larger body fails "
             "that update only; the previous snapshot stays listed."},
    {.section = "feeds",
     .name = "timeout_seconds",
     .field = MAMORI_FIELD(feeds.timeout_seconds),
     .int_min = 1,
     .help = "Time limit of one whole transfer, connection included."},
    {.section = "feeds",
     .name = "connect_timeout_seconds",
     .field = MAMORI_FIELD(feeds.connect_timeout_seconds),
     .int_min = 1,
     .help = "Time limit for establishing the connection (DNS, TCP, TLS)."},
    {.section = "feeds",
     .name = "retries",
     .field = MAMORI_FIELD(feeds.retries),
     .int_min = 0,
     .int_max = 10,
     .help = "Attempts after the first one when a download fails with a network error, a "
             "timeout, HTTP 429 or HTTP 5xx."},
    // Capped so that doubling it for 10 retries still fits in an int.
    {.section = "feeds",
     .name = "retry_backoff_ms",
     .field = MAMORI_FIELD(feeds.retry_backoff_ms),
     .int_min = 0,
     .int_max = 600000,
     .help = "Wait before the first retry; it doubles for each further retry (at most 5 "
             "minutes), and a longer Retry-After from the server wins."},
    {.section = "feeds",
     .name = "max_invalid_share",
     .field = MAMORI_FIELD(feeds.max_invalid_share),
     .real_min = 0.0,
     .real_max = 1.0,
     .help = "An update whose share of invalid lines exceeds this is rejected as a whole and "
             "the previous snapshot of the feed stays, so a broken feed never delists "
             "everything. 0 rejects any invalid line, 1 never rejects."},
    {.section = "feeds",
     .name = "user_agent",
     .field = MAMORI_FIELD(feeds.user_agent),
     .help = "User-Agent header sent with every feed request."},
    {.section = "feeds",
     .name = "sample_feeds_dir",
     .field = MAMORI_FIELD(feeds.sample_feeds_dir),
     .help = "Directory of the sample feeds shipped with mamori (the one holding "
             "sources.json). When it has none, the source tree's data/feeds and then "
             "/usr/share/mamori/feeds are tried."},
    {.section = "feeds",
     .name = "load_sample_feeds",
     .field = MAMORI_FIELD(feeds.load_sample_feeds),
     .help = "Add the sample feeds when `mamori serve` starts with a store that has no "
             "sources yet."},
    {.section = "scheduler",
     .name = "enabled",
     .field = MAMORI_FIELD(scheduler.enabled),
     .help = "Refresh each feed at its own interval while `mamori serve` runs."},
    {.section = "scheduler",
     .name = "tick_seconds",
     .field = MAMORI_FIELD(scheduler.tick_seconds),
     .int_min = 1,
     .help = "How often the scheduler looks for feeds that are due."},
    {.section = "blocklist",
     .name = "profiles_dir",
     .field = MAMORI_FIELD(blocklist.profiles_dir),
     .help = "Directory of your own device profiles (*.toml, docs/formats/device-profile.md). "
             "A profile here overrides a shipped one of the same name. A missing directory "
             "means none."},
    {.section = "blocklist",
     .name = "builtin_profiles_dir",
     .field = MAMORI_FIELD(blocklist.builtin_profiles_dir),
     .help = "Directory of the device profiles shipped with mamori. When it has none, the "
             "source tree's data/profiles and then /usr/share/mamori/profiles are tried."},
    {.section = "blocklist",
     .name = "output_dir",
     .field = MAMORI_FIELD(blocklist.output_dir),
     .help = "Where each profile's last good list is written (<profile>.<ext>), so a restart "
             "serves it at once."},
    {.section = "blocklist",
     .name = "builtin_warninglists",
     .field = MAMORI_FIELD(blocklist.builtin_warninglists),
     .help = "Never block what the built-in warning lists protect (private and special "
             "ranges, public DNS resolvers, cloud/CDN ranges, popular sites, shared "
             "platforms). Turn off only for testing."},
    {.section = "blocklist",
     .name = "warninglists_dir",
     .field = MAMORI_FIELD(blocklist.warninglists_dir),
     .help = "Directory of extra warning lists (docs/formats/warninglists.md); a missing "
             "directory means none."},
    {.section = "blocklist",
     .name = "ip_lifetime_days",
     .field = MAMORI_FIELD(blocklist.ip_lifetime_days),
     .int_min = 1,
     .int_max = 3650,
     .help = "τ of the decay for addresses and networks: days after a source last listed it "
             "at which its evidence reaches zero."},
    {.section = "blocklist",
     .name = "domain_lifetime_days",
     .field = MAMORI_FIELD(blocklist.domain_lifetime_days),
     .int_min = 1,
     .int_max = 3650,
     .help = "τ of the decay for domain names."},
    {.section = "blocklist",
     .name = "url_lifetime_days",
     .field = MAMORI_FIELD(blocklist.url_lifetime_days),
     .int_min = 1,
     .int_max = 3650,
     .help = "τ of the decay for URLs."},
    {.section = "blocklist",
     .name = "hash_lifetime_days",
     .field = MAMORI_FIELD(blocklist.hash_lifetime_days),
     .int_min = 1,
     .int_max = 36500,
     .help = "τ of the decay for file hashes."},
    {.section = "blocklist",
     .name = "decay_speed",
     .field = MAMORI_FIELD(blocklist.decay_speed),
     .real_min = 0.01,
     .real_max = 100.0,
     .help = "δ of MISP's decay 1 − (t/τ)^(1/δ): below 1 evidence stays strong and falls "
             "late, 1 is linear, above 1 it falls early."},
    {.section = "blocklist",
     .name = "aggregate",
     .field = MAMORI_FIELD(blocklist.aggregate),
     .help = "Let one CIDR stand for many listed addresses when that covers more priority "
             "within a device's capacity (only for devices that count a CIDR as one entry)."},
    {.section = "blocklist",
     .name = "min_prefix_v4",
     .field = MAMORI_FIELD(blocklist.min_prefix_v4),
     .int_min = 0,
     .int_max = 32,
     .help = "No IPv4 aggregate wider than this prefix length."},
    {.section = "blocklist",
     .name = "min_prefix_v6",
     .field = MAMORI_FIELD(blocklist.min_prefix_v6),
     .int_min = 0,
     .int_max = 128,
     .help = "No IPv6 aggregate wider than this prefix length."},
    {.section = "blocklist",
     .name = "collateral_penalty",
     .field = MAMORI_FIELD(blocklist.collateral_penalty),
     .real_min = 0.0,
     .real_max = 100.0,
     .help = "Priority points an aggregate pays per address it blocks that no source listed; "
             "higher values aggregate only dense networks."},
    {.section = "blocklist",
     .name = "churn_threshold",
     .field = MAMORI_FIELD(blocklist.churn_threshold),
     .real_min = 0.0,
     .real_max = 10.0,
     .help = "An entry of the previous build is displaced only by one more than this share "
             "better (0.1: 10%), so device lists do not flap between builds."},
    {.section = "blocklist",
     .name = "sighting_weight",
     .field = MAMORI_FIELD(blocklist.sighting_weight),
     .real_min = 0.0,
     .real_max = 1.0,
     .help = "Share of an indicator's priority that depends on hits in our own logs, once any "
             "log sightings reach the store (0: ignore log hits; 0.8: a listed value our hosts "
             "never reach keeps a fifth of its priority)."},
    {.section = "blocklist",
     .name = "observed_collateral",
     .field = MAMORI_FIELD(blocklist.observed_collateral),
     .real_min = 0.0,
     .real_max = 100.0,
     .help = "What an aggregate CIDR pays for each address inside it that our logs saw and no "
             "source lists, as a multiple of that traffic's priority (0: count only addresses)."},
    {.section = "blocklist",
     .name = "build_on_serve",
     .field = MAMORI_FIELD(blocklist.build_on_serve),
     .help = "Rebuild each profile's list at its refresh interval while `mamori serve` runs."},
    {.section = "collect",
     .name = "inputs",
     .field = MAMORI_FIELD(collect.inputs),
     .allow_empty = true,
     .help = "Logs `mamori serve` follows and detects in, comma-separated FORMAT@SOURCE: "
             "\"sshd@/var/log/auth.log, syslog-auto@udp://127.0.0.1:5514\" (docs/collect.md); "
             "empty: collect nothing."},
    {.section = "collect",
     .name = "rules",
     .field = MAMORI_FIELD(collect.rules),
     .help = "Detection rule file or directory (docs/formats/rules.md)."},
    {.section = "collect",
     .name = "start_at",
     .field = MAMORI_FIELD(collect.start_at),
     .choices = kStartAt,
     .help = "Where to start in a followed file never read before; later starts resume at "
             "the stored offset."},
    {.section = "collect",
     .name = "queue_capacity",
     .field = MAMORI_FIELD(collect.queue_capacity),
     .int_min = 1024,
     .int_max = 16 << 20,
     .help = "Received syslog/stdin messages waiting for detection; beyond it UDP messages "
             "are dropped (counted) and TCP senders are slowed down."},
    {.section = "collect",
     .name = "sync_interval_ms",
     .field = MAMORI_FIELD(collect.sync_interval_ms),
     .int_min = 10,
     .int_max = 10000,
     .help = "How often new detections are written to the store (bounds line-to-detection "
             "latency)."},
    {.section = "respond",
     .name = "enabled",
     .field = MAMORI_FIELD(respond.enabled),
     .help = "Evaluate playbooks against new detections in `mamori serve` and `mamori collect`."},
    {.section = "respond",
     .name = "playbooks",
     .field = MAMORI_FIELD(respond.playbooks),
     .help = "Playbook file or directory (docs/formats/playbooks.md)."},
    {.section = "respond",
     .name = "dry_run",
     .field = MAMORI_FIELD(respond.dry_run),
     .help = "Record what every playbook would do without touching any device."},
    {.section = "respond",
     .name = "kill_switch",
     .field = MAMORI_FIELD(respond.kill_switch),
     .help = "Start with automatic actions stopped (playbooks only recommend) when the store has "
             "no switch state yet; later the switch is set through the API and kept in the store."},
    {.section = "respond",
     .name = "own_infrastructure",
     .field = MAMORI_FIELD(respond.own_infrastructure),
     .allow_empty = true,
     .help = "Our own addresses, networks and domains, comma-separated (\"198.51.100.0/24, "
             "example.org\"); never acted on unless a playbook says `allow_own_infrastructure: "
             "true`."},
    {.section = "respond",
     .name = "rate_per_minute",
     .field = MAMORI_FIELD(respond.rate_per_minute),
     .int_min = 1,
     .int_max = 100000,
     .help = "Automatic actions allowed per minute over all playbooks; beyond it they become "
             "recommendations."},
    {.section = "respond",
     .name = "rate_per_target_per_hour",
     .field = MAMORI_FIELD(respond.rate_per_target_per_hour),
     .int_min = 1,
     .int_max = 1000,
     .help = "Automatic actions allowed on one target per hour; beyond it they become "
             "recommendations."},
    {.section = "respond",
     .name = "default_duration_seconds",
     .field = MAMORI_FIELD(respond.default_duration_seconds),
     .int_min = 60,
     .int_max = 31536000,
     .help = "How long an action lasts when its playbook gives no duration."},
    {.section = "respond",
     .name = "reconcile_seconds",
     .field = MAMORI_FIELD(respond.reconcile_seconds),
     .int_min = 5,
     .int_max = 86400,
     .help = "How often actions in force are checked on their devices and re-applied where lost."},
    {.section = "respond",
     .name = "nftables_family",
     .field = MAMORI_FIELD(respond.nftables_family),
     .choices = kNftFamilies,
     .help = "nftables family of the response table."},
    {.section = "respond",
     .name = "nftables_table",
     .field = MAMORI_FIELD(respond.nftables_table),
     .allow_empty = true,
     .help = "nftables table whose sets hold addresses blocked by playbooks (docs/respond.md shows"
             " the rules to add); empty: no nftables device."},
    {.section = "respond",
     .name = "ipset_name",
     .field = MAMORI_FIELD(respond.ipset_name),
     .allow_empty = true,
     .help = "ipset (hash:net) that holds addresses blocked by playbooks; empty: no ipset device."},
    {.section = "respond",
     .name = "rpz_zone_file",
     .field = MAMORI_FIELD(respond.rpz_zone_file),
     .allow_empty = true,
     .help = "RPZ zone file that holds domains blocked by playbooks; empty: no DNS device."},
    {.section = "respond",
     .name = "rpz_origin",
     .field = MAMORI_FIELD(respond.rpz_origin),
     .help = "Origin of the response RPZ zone."},
    {.section = "respond",
     .name = "rpz_reload_command",
     .field = MAMORI_FIELD(respond.rpz_reload_command),
     .allow_empty = true,
     .help = "Command run after the RPZ zone file changes (\"unbound-control auth_zone_reload "
             "rpz.mamori.\"); empty: none."},
    {.section = "respond",
     .name = "webhook_url",
     .field = MAMORI_FIELD(respond.webhook_url),
     .allow_empty = true,
     .help = "Where notify_webhook actions POST their HMAC-signed JSON; empty: none."},
    {.section = "respond",
     .name = "webhook_secret_file",
     .field = MAMORI_FIELD(respond.webhook_secret_file),
     .allow_empty = true,
     .help = "File holding the webhook HMAC key."},
    {.section = "respond",
     .name = "edr_url",
     .field = MAMORI_FIELD(respond.edr_url),
     .allow_empty = true,
     .help = "EDR endpoint that isolate_host actions POST to (signed like webhooks); empty: none."},
    {.section = "respond",
     .name = "edr_secret_file",
     .field = MAMORI_FIELD(respond.edr_secret_file),
     .allow_empty = true,
     .help = "File holding the EDR webhook HMAC key."},
    {.section = "respond",
     .name = "syslog_target",
     .field = MAMORI_FIELD(respond.syslog_target),
     .allow_empty = true,
     .help = "Where notify_syslog actions send RFC 5424 messages: udp://HOST:PORT, tcp://HOST:PORT"
             " or unix:///dev/log; empty: none."},
    {.section = "respond",
     .name = "email_command",
     .field = MAMORI_FIELD(respond.email_command),
     .allow_empty = true,
     .help = "Local MTA command that reads a message on stdin (\"/usr/sbin/sendmail -t -i\"); "
             "empty: no email."},
    {.section = "respond",
     .name = "email_from",
     .field = MAMORI_FIELD(respond.email_from),
     .help = "From: address of notification emails."},
    {.section = "respond",
     .name = "email_to",
     .field = MAMORI_FIELD(respond.email_to),
     .allow_empty = true,
     .help = "Default recipients of notify_email actions, comma-separated."},
    {.section = "analysis",
     .name = "enabled",
     .field = MAMORI_FIELD(analysis.enabled),
     .help = "Accept samples at POST /api/v1/samples and analyse them in worker processes."},
    {.section = "analysis",
     .name = "samples_dir",
     .field = MAMORI_FIELD(analysis.samples_dir),
     .help = "Where submitted samples are kept, named by sha256 (readable by mamori's user only)."},
    {.section = "analysis",
     .name = "max_sample_mb",
     .field = MAMORI_FIELD(analysis.max_sample_mb),
     .int_min = 1,
     .int_max = 1024,
     .help = "Largest sample accepted; a larger upload gets 413."},
    {.section = "analysis",
     .name = "workers",
     .field = MAMORI_FIELD(analysis.workers),
     .int_min = 1,
     .int_max = 64,
     .help = "Samples analysed at the same time (one worker process each)."},
    {.section = "analysis",
     .name = "memory_limit_mb",
     .field = MAMORI_FIELD(analysis.memory_limit_mb),
     .int_min = 64,
     .int_max = 1048576,
     .help = "Memory in use (resident) a worker process may reach before it is killed."},
    {.section = "analysis",
     .name = "address_space_mb",
     .field = MAMORI_FIELD(analysis.address_space_mb),
     .int_min = 1024,
     .int_max = 4194304,
     .help = "Address-space limit (RLIMIT_AS) of a worker process. Unicorn reserves 1 GiB per "
             "emulated process for translated code, and listing processes makes a dozen."},
    {.section = "analysis",
     .name = "timeout_seconds",
     .field = MAMORI_FIELD(analysis.timeout_seconds),
     .int_min = 5,
     .int_max = 86400,
     .help = "Wall-clock budget of one analysis; its worker is killed 30 s after it."},
};

#undef MAMORI_FIELD

const SectionDescriptor* FindSection(std::string_view name) {
  for (const auto& s : kSections) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

const KeyDescriptor* FindKey(std::string_view section, std::string_view name) {
  for (const auto& k : kKeys) {
    if (k.section == section && k.name == name) return &k;
  }
  return nullptr;
}

std::string KnownKeys(std::string_view section) {
  std::string out;
  for (const auto& k : kKeys) {
    if (k.section != section) continue;
    if (!out.empty()) out += ", ";
    out += k.name;
  }
  return out;
}

std::string KnownSections() {
  std::string out;
  for (const auto& s : kSections) {
    if (!out.empty()) out += ", ";
    out += s.name;
  }
  return out;
}

std::string JoinChoices(std::span<const std::string_view> choices) {
  std::string out;
  for (auto c : choices) {
    if (!out.empty()) out += '|';
    out += c;
  }
  return out;
}

// Levenshtein distance, for "did you mean" hints on typos.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 'a' - 'A');
  }
  return out;
}

// A hint for a near miss: at most two edits away ignoring case, or a longer or shorter
// spelling of a known name ("warning" for "warn").
template <typename Names>
std::string DidYouMean(std::string_view typo, const Names& names) {
  std::string lower = Lower(typo);
  std::string_view best;
  size_t best_distance = 3;
  for (std::string_view n : names) {
    size_t d = EditDistance(lower, n);
    if (std::min(lower.size(), n.size()) >= 3 &&
        (std::string_view(lower).starts_with(n) || n.starts_with(lower))) {
      d = std::min<size_t>(d, 1);
    }
    if (d < best_distance) {
      best_distance = d;
      best = n;
    }
  }
  return best.empty() ? std::string() : fmt::format("; did you mean '{}'?", best);
}

// What a key accepts, in words: "an integer in 1..65535", "one of text|json", ...
std::string Expectation(const KeyDescriptor& key) {
  Config scratch;
  return std::visit(
      [&](auto* field) -> std::string {
        using T = std::remove_pointer_t<decltype(field)>;
        if constexpr (std::is_same_v<T, std::string>) {
          if (!key.choices.empty()) return "one of " + JoinChoices(key.choices);
          return key.allow_empty ? "a string (may be empty)" : "a non-empty string";
        } else if constexpr (std::is_same_v<T, bool>) {
          return "a boolean (true or false)";
        } else if constexpr (std::is_same_v<T, double>) {
          return fmt::format("a number in {}..{}", key.real_min, key.real_max);
        } else {
          int64_t type_max = std::numeric_limits<T>::max();
          if (std::min(key.int_max, type_max) == type_max) {
            return fmt::format("an integer >= {}", key.int_min);
          }
          return fmt::format("an integer in {}..{}", key.int_min, key.int_max);
        }
      },
      key.field(scratch));
}

// A problem found while checking the parsed document; the earliest (by line) is reported.
struct Problem {
  toml::source_index line = 0;
  Error error;
};

// Stores `node` into the field of `key`, or returns why it cannot.
std::optional<std::string> Assign(const KeyDescriptor& key, const toml::node& node,
                                  Config& config) {
  std::string dotted = fmt::format("{}.{}", key.section, key.name);
  auto wrong = [&](std::string got) {
    return fmt::format("key '{}' must be {}, got {}", dotted, Expectation(key), got);
  };
  return std::visit(
      [&](auto* field) -> std::optional<std::string> {
        using T = std::remove_pointer_t<decltype(field)>;
        if constexpr (std::is_same_v<T, std::string>) {
          const auto* value = node.as_string();
          if (value == nullptr) return wrong(std::string(TomlTypeName(node)));
          const std::string& text = value->get();
          if (!key.choices.empty()) {
            if (std::find(key.choices.begin(), key.choices.end(), text) == key.choices.end()) {
              return wrong(fmt::format("'{}'", text)) + DidYouMean(text, key.choices);
            }
          } else if (text.empty() && !key.allow_empty) {
            return wrong("an empty string");
          }
          *field = text;
        } else if constexpr (std::is_same_v<T, bool>) {
          const auto* value = node.as_boolean();
          if (value == nullptr) return wrong(std::string(TomlTypeName(node)));
          *field = value->get();
        } else if constexpr (std::is_same_v<T, double>) {
          double v;
          if (const auto* real = node.as_floating_point()) {
            v = real->get();
          } else if (const auto* integer = node.as_integer()) {
            v = static_cast<double>(integer->get());  // "1" is as good as "1.0" for a share
          } else {
            return wrong(std::string(TomlTypeName(node)));
          }
          // Written so that NaN fails too.
          if (!(v >= key.real_min && v <= key.real_max)) return wrong(fmt::format("{}", v));
          *field = v;
        } else {
          const auto* value = node.as_integer();
          if (value == nullptr) return wrong(std::string(TomlTypeName(node)));
          int64_t v = value->get();
          // Checked in int64 before narrowing, so 4294967297 cannot wrap into range.
          int64_t max = std::min<int64_t>(key.int_max, std::numeric_limits<T>::max());
          if (v < key.int_min || v > max) return wrong(fmt::format("{}", v));
          *field = static_cast<T>(v);
        }
        return std::nullopt;
      },
      key.field(config));
}

Expected<Config> Interpret(const toml::table& root, std::string_view origin) {
  Config config;
  std::vector<Problem> problems;
  auto add = [&](const toml::source_region& where, std::string message) {
    problems.push_back({where.begin.line, Error{ErrorCode::kInvalidArgument, std::move(message),
                                                TomlWhere(origin, where)}});
  };
  std::vector<std::string_view> section_names;
  for (const auto& s : kSections) section_names.push_back(s.name);

  for (const auto& [section_key, section_node] : root) {
    const SectionDescriptor* section = FindSection(section_key.str());
    if (section == nullptr) {
      add(section_key.source(),
          fmt::format("unknown {} '{}' (known sections: {}){}",
                      section_node.is_table() ? "section" : "key", section_key.str(),
                      KnownSections(), DidYouMean(section_key.str(), section_names)));
      continue;
    }
    const toml::table* table = section_node.as_table();
    if (table == nullptr) {
      add(section_key.source(), fmt::format("'{}' must be a table ([{}]), got {}", section->name,
                                            section->name, TomlTypeName(section_node)));
      continue;
    }
    std::vector<std::string_view> key_names;
    for (const auto& k : kKeys) {
      if (k.section == section->name) key_names.push_back(k.name);
    }
    for (const auto& [key, node] : *table) {
      const KeyDescriptor* descriptor = FindKey(section->name, key.str());
      if (descriptor == nullptr) {
        add(key.source(),
            fmt::format("unknown key '{}.{}' (known keys in [{}]: {}){}", section->name, key.str(),
                        section->name, KnownKeys(section->name), DidYouMean(key.str(), key_names)));
        continue;
      }
      if (auto why = Assign(*descriptor, node, config)) add(key.source(), std::move(*why));
    }
  }
  if (problems.empty()) return config;
  // Tables iterate in key order, not file order; report the first problem in the file.
  auto first = std::min_element(problems.begin(), problems.end(),
                                [](const Problem& a, const Problem& b) { return a.line < b.line; });
  Error error = std::move(first->error);
  if (problems.size() > 1) {
    error.message += fmt::format(" (and {} more problem{} after fixing this one)",
                                 problems.size() - 1, problems.size() > 2 ? "s" : "");
  }
  return tl::unexpected(std::move(error));
}

Error FromParseError(const toml::parse_error& e, std::string_view origin) {
  const auto& begin = e.source().begin;
  std::string where(origin);
  if (begin.line != 0) where += fmt::format(":{}:{}", begin.line, begin.column);
  return Error{ErrorCode::kInvalidArgument, fmt::format("TOML syntax error: {}", e.description()),
               std::move(where)};
}

// Word-wraps `text` into "# " comment lines of at most 100 columns.
void AppendComment(std::string& out, std::string_view text) {
  constexpr size_t kWidth = 100 - 2;
  size_t line_length = 0;
  bool line_open = false;
  while (!text.empty()) {
    size_t space = text.find(' ');
    std::string_view word = text.substr(0, space);
    text = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
    if (line_open && line_length + 1 + word.size() > kWidth) {
      out += '\n';
      line_open = false;
    }
    if (!line_open) {
      out += "# ";
      line_length = 0;
      line_open = true;
    } else {
      out += ' ';
      ++line_length;
    }
    out += word;
    line_length += word.size();
  }
  if (line_open) out += '\n';
}

std::string TomlString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\u{:04X}", u);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string TomlValue(FieldRef field) {
  return std::visit(
      [](auto* value) -> std::string {
        using T = std::remove_pointer_t<decltype(value)>;
        if constexpr (std::is_same_v<T, std::string>) {
          return TomlString(*value);
        } else if constexpr (std::is_same_v<T, bool>) {
          return *value ? "true" : "false";
        } else if constexpr (std::is_same_v<T, double>) {
          std::string text = fmt::format("{}", *value);
          // "1" would read back as an integer; keep floats visibly floats.
          if (text.find_first_of(".en") == std::string::npos) text += ".0";
          return text;
        } else {
          return fmt::format("{}", *value);
        }
      },
      field);
}

}  // namespace

Expected<Config> ParseConfig(std::string_view toml_text, std::string_view origin) {
  std::string origin_text = origin.empty() ? std::string("<config>") : std::string(origin);
#if TOML_EXCEPTIONS
  // toml++ reports syntax errors as exceptions in this build mode; they stop here.
  try {
    toml::table root = toml::parse(toml_text, origin_text);
    return Interpret(root, origin_text);
  } catch (const toml::parse_error& e) {
    return tl::unexpected(FromParseError(e, origin_text));
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInternal, fmt::format("reading configuration: {}", e.what()),
                     origin_text);
  }
#else
  toml::parse_result result = toml::parse(toml_text, origin_text);
  if (!result) return tl::unexpected(FromParseError(result.error(), origin_text));
  return Interpret(result.table(), origin_text);
#endif
}

Expected<Config> LoadConfig(const std::string& path, bool must_exist) {
  // A config file is small; anything bigger is a wrong path (a database, a log) not a config.
  constexpr std::uintmax_t kMaxConfigBytes = 1 << 20;
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status)) {
    if (!must_exist) return Config{};
    return MakeError(ErrorCode::kNotFound,
                     "configuration file not found; create it (mamori.toml.example lists every "
                     "key with its default) or omit the option to run on defaults",
                     path);
  }
  if (std::filesystem::is_directory(status)) {
    return MakeError(ErrorCode::kIo, "configuration path is a directory, expected a TOML file",
                     path);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return MakeError(ErrorCode::kIo, "cannot open configuration file (check its permissions)",
                     path);
  }
  std::string text;
  char buffer[8192];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxConfigBytes) {
      return MakeError(ErrorCode::kTooLarge,
                       "configuration file is larger than 1 MiB; is this the right file?", path);
    }
  }
  if (in.bad()) return MakeError(ErrorCode::kIo, "error reading configuration file", path);
  return ParseConfig(text, path);
}

std::string DefaultConfigToml() {
  Config defaults;
  std::string out;
  AppendComment(out,
                "mamori.toml: configuration of one mamori instance. Every key is optional; a "
                "missing key takes the default shown here and a missing file is a valid "
                "configuration. Unknown sections and keys are errors, so a typo cannot go "
                "unnoticed.");
  AppendComment(out,
                "Printed by `mamori config defaults`; every key is described in "
                "docs/formats/mamori-toml.md. Copy what you want to change into mamori.toml.");
  for (const auto& section : kSections) {
    out += fmt::format("\n[{}]\n", section.name);
    AppendComment(out, section.help);
    for (const auto& key : kKeys) {
      if (key.section != section.name) continue;
      out += '\n';
      AppendComment(out, key.help);
      AppendComment(out, "Allowed: " + Expectation(key) + ".");
      out += fmt::format("{} = {}\n", key.name, TomlValue(key.field(defaults)));
    }
  }
  return out;
}

}  // namespace mamori
