#include "core/config.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace mamori {
namespace {

// Every field, so a test fails when a key is added to Config but not checked here.
void ExpectDefaults(const Config& c) {
  EXPECT_EQ(c.server.listen, "127.0.0.1");
  EXPECT_EQ(c.server.port, 8080);
  EXPECT_EQ(c.store.path, "var/mamori.db");
  EXPECT_EQ(c.store.busy_timeout_ms, 5000);
  EXPECT_EQ(c.log.level, "info");
  EXPECT_EQ(c.log.format, "text");
  EXPECT_EQ(c.feeds.max_download_bytes, 268435456);
  EXPECT_EQ(c.feeds.timeout_seconds, 60);
  EXPECT_EQ(c.feeds.connect_timeout_seconds, 15);
  EXPECT_EQ(c.feeds.retries, 3);
  EXPECT_EQ(c.feeds.retry_backoff_ms, 1000);
  EXPECT_EQ(c.feeds.max_invalid_share, 0.5);
  EXPECT_EQ(c.feeds.user_agent, "mamori/0.1");
  EXPECT_EQ(c.feeds.sample_feeds_dir, "data/feeds");
  EXPECT_EQ(c.feeds.load_sample_feeds, true);
  EXPECT_EQ(c.scheduler.enabled, true);
  EXPECT_EQ(c.scheduler.tick_seconds, 30);
}

// The error text for `toml` parsed as "mamori.toml", or "OK" when it parses.
std::string ErrorFor(std::string_view toml) {
  auto config = ParseConfig(toml, "mamori.toml");
  if (config) return "OK";
  EXPECT_EQ(config.error().code, ErrorCode::kInvalidArgument);
  return config.error().ToString();
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "mamori_config_XXXXXX");
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

TEST(ConfigTest, EmptyTextGivesDefaults) {
  auto config = ParseConfig("", "mamori.toml");
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  ExpectDefaults(*config);
  ExpectDefaults(Config{});
  // Empty sections and comments only change nothing either.
  auto sections = ParseConfig("# nothing\n[server]\n[feeds]\n", "mamori.toml");
  ASSERT_TRUE(sections.has_value());
  ExpectDefaults(*sections);
}

TEST(ConfigTest, ValidFileSetsEveryKey) {
  auto config = ParseConfig(R"(
[server]
listen = "0.0.0.0"
port = 9443

[store]
path = "/var/lib/mamori/mamori.db"
busy_timeout_ms = 0

[log]
level = "debug"
format = "json"

[feeds]
max_download_bytes = 10_000_000_000
timeout_seconds = 120
connect_timeout_seconds = 5
retries = 0
retry_backoff_ms = 250
max_invalid_share = 0.1
user_agent = "acme-soc/1.0"
sample_feeds_dir = "/usr/share/mamori/feeds"
load_sample_feeds = false

[scheduler]
enabled = false
tick_seconds = 1
)",
                            "mamori.toml");
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  EXPECT_EQ(config->server.listen, "0.0.0.0");
  EXPECT_EQ(config->server.port, 9443);
  EXPECT_EQ(config->store.path, "/var/lib/mamori/mamori.db");
  EXPECT_EQ(config->store.busy_timeout_ms, 0);
  EXPECT_EQ(config->log.level, "debug");
  EXPECT_EQ(config->log.format, "json");
  EXPECT_EQ(config->feeds.max_download_bytes, 10'000'000'000LL);
  EXPECT_EQ(config->feeds.timeout_seconds, 120);
  EXPECT_EQ(config->feeds.connect_timeout_seconds, 5);
  EXPECT_EQ(config->feeds.retries, 0);
  EXPECT_EQ(config->feeds.retry_backoff_ms, 250);
  EXPECT_DOUBLE_EQ(config->feeds.max_invalid_share, 0.1);
  EXPECT_EQ(config->feeds.user_agent, "acme-soc/1.0");
  EXPECT_EQ(config->feeds.sample_feeds_dir, "/usr/share/mamori/feeds");
  EXPECT_FALSE(config->feeds.load_sample_feeds);
  EXPECT_FALSE(config->scheduler.enabled);
  EXPECT_EQ(config->scheduler.tick_seconds, 1);
}

TEST(ConfigTest, PartialFileKeepsOtherDefaults) {
  auto config = ParseConfig("[server]\nport = 8443\n", "mamori.toml");
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(config->server.port, 8443);
  EXPECT_EQ(config->server.listen, "127.0.0.1");
  EXPECT_EQ(config->feeds.retries, 3);
  // Dotted keys and inline tables are the same TOML tables.
  auto dotted = ParseConfig("server.port = 1\nlog = { level = \"off\" }\n", "mamori.toml");
  ASSERT_TRUE(dotted.has_value()) << dotted.error().ToString();
  EXPECT_EQ(dotted->server.port, 1);
  EXPECT_EQ(dotted->log.level, "off");
}

TEST(ConfigTest, RangeBoundsAreInclusive) {
  auto config = ParseConfig(
      "[server]\nport = 65535\n[feeds]\nretries = 10\nmax_invalid_share = 1\n"
      "retry_backoff_ms = 600000\n[store]\nbusy_timeout_ms = 2147483647\n",
      "mamori.toml");
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  EXPECT_EQ(config->server.port, 65535);
  EXPECT_EQ(config->feeds.retries, 10);
  EXPECT_EQ(config->feeds.max_invalid_share, 1.0);  // an integer is fine for a share
  EXPECT_EQ(config->feeds.retry_backoff_ms, 600000);
  EXPECT_EQ(config->store.busy_timeout_ms, 2147483647);
  auto zero = ParseConfig("[feeds]\nmax_invalid_share = 0.0\n", "mamori.toml");
  ASSERT_TRUE(zero.has_value());
  EXPECT_EQ(zero->feeds.max_invalid_share, 0.0);
}

TEST(ConfigTest, UnknownKeyNamesKeyFileAndLine) {
  EXPECT_EQ(ErrorFor("[server]\nlisten = \"::1\"\nprot = 8080\n"),
            "mamori.toml:3: unknown key 'server.prot' (known keys in [server]: listen, port, "
            "require_auth, session_hours, tls_cert, tls_key); did you mean 'port'?");
  // No hint when nothing is close.
  EXPECT_EQ(ErrorFor("[log]\n\ncolour = true\n"),
            "mamori.toml:3: unknown key 'log.colour' (known keys in [log]: level, format)");
  // Sub-tables of a section are unknown keys too.
  EXPECT_EQ(ErrorFor("[server.tls]\ncert = \"x\"\n"),
            "mamori.toml:1: unknown key 'server.tls' (known keys in [server]: listen, port, "
            "require_auth, session_hours, tls_cert, tls_key); did you mean 'tls_cert'?");
}

TEST(ConfigTest, UnknownSectionNamesIt) {
  EXPECT_EQ(ErrorFor("[server]\nport = 1\n\n[servr]\nport = 2\n"),
            "mamori.toml:4: unknown section 'servr' (known sections: server, store, log, feeds, "
            "scheduler, blocklist, collect, respond, analysis); did you mean 'server'?");
  EXPECT_EQ(ErrorFor("port = 8080\n"),
            "mamori.toml:1: unknown key 'port' (known sections: server, store, log, feeds, "
            "scheduler, blocklist, collect, respond, analysis)");
  EXPECT_EQ(ErrorFor("server = 8080\n"),
            "mamori.toml:1: 'server' must be a table ([server]), got an integer");
}

TEST(ConfigTest, WrongTypeNamesKeyAndExpectedType) {
  EXPECT_EQ(ErrorFor("[server]\nport = \"8080\"\n"),
            "mamori.toml:2: key 'server.port' must be an integer in 1..65535, got a string");
  EXPECT_EQ(ErrorFor("[server]\nport = 8080.0\n"),
            "mamori.toml:2: key 'server.port' must be an integer in 1..65535, got a "
            "floating-point number");
  EXPECT_EQ(ErrorFor("[server]\nlisten = 127\n"),
            "mamori.toml:2: key 'server.listen' must be a non-empty string, got an integer");
  EXPECT_EQ(ErrorFor("[scheduler]\nenabled = \"yes\"\n"),
            "mamori.toml:2: key 'scheduler.enabled' must be a boolean (true or false), got a "
            "string");
  EXPECT_EQ(ErrorFor("[feeds]\nmax_invalid_share = \"50%\"\n"),
            "mamori.toml:2: key 'feeds.max_invalid_share' must be a number in 0..1, got a string");
  EXPECT_EQ(ErrorFor("[log]\nlevel = [\"info\"]\n"),
            "mamori.toml:2: key 'log.level' must be one of "
            "trace|debug|info|warn|error|critical|off, got an array");
  EXPECT_EQ(ErrorFor("[store]\npath = 2024-01-01\n"),
            "mamori.toml:2: key 'store.path' must be a non-empty string, got a date");
}

TEST(ConfigTest, OutOfRangeNamesKeyAndRange) {
  EXPECT_EQ(ErrorFor("[server]\nport = 0\n"),
            "mamori.toml:2: key 'server.port' must be an integer in 1..65535, got 0");
  EXPECT_EQ(ErrorFor("[server]\nport = 65536\n"),
            "mamori.toml:2: key 'server.port' must be an integer in 1..65535, got 65536");
  // Would wrap to 1 if narrowed to int before the check.
  EXPECT_EQ(ErrorFor("[server]\nport = 4294967297\n"),
            "mamori.toml:2: key 'server.port' must be an integer in 1..65535, got 4294967297");
  EXPECT_EQ(ErrorFor("[feeds]\nmax_invalid_share = 1.5\n"),
            "mamori.toml:2: key 'feeds.max_invalid_share' must be a number in 0..1, got 1.5");
  EXPECT_EQ(ErrorFor("[feeds]\nmax_invalid_share = -0.1\n"),
            "mamori.toml:2: key 'feeds.max_invalid_share' must be a number in 0..1, got -0.1");
  EXPECT_EQ(ErrorFor("[feeds]\nmax_invalid_share = nan\n"),
            "mamori.toml:2: key 'feeds.max_invalid_share' must be a number in 0..1, got nan");
  EXPECT_EQ(ErrorFor("[feeds]\nretries = 11\n"),
            "mamori.toml:2: key 'feeds.retries' must be an integer in 0..10, got 11");
  EXPECT_EQ(ErrorFor("[feeds]\nretries = -1\n"),
            "mamori.toml:2: key 'feeds.retries' must be an integer in 0..10, got -1");
  EXPECT_EQ(ErrorFor("[feeds]\ntimeout_seconds = 0\n"),
            "mamori.toml:2: key 'feeds.timeout_seconds' must be an integer >= 1, got 0");
  EXPECT_EQ(ErrorFor("[feeds]\nconnect_timeout_seconds = -5\n"),
            "mamori.toml:2: key 'feeds.connect_timeout_seconds' must be an integer >= 1, got -5");
  EXPECT_EQ(ErrorFor("[feeds]\ntimeout_seconds = 3000000000\n"),
            "mamori.toml:2: key 'feeds.timeout_seconds' must be an integer >= 1, got 3000000000");
  EXPECT_EQ(ErrorFor("[feeds]\nmax_download_bytes = 0\n"),
            "mamori.toml:2: key 'feeds.max_download_bytes' must be an integer >= 1, got 0");
  EXPECT_EQ(ErrorFor("[feeds]\nretry_backoff_ms = 600001\n"),
            "mamori.toml:2: key 'feeds.retry_backoff_ms' must be an integer in 0..600000, got "
            "600001");
  EXPECT_EQ(ErrorFor("[scheduler]\ntick_seconds = 0\n"),
            "mamori.toml:2: key 'scheduler.tick_seconds' must be an integer >= 1, got 0");
  EXPECT_EQ(ErrorFor("[store]\nbusy_timeout_ms = -1\n"),
            "mamori.toml:2: key 'store.busy_timeout_ms' must be an integer >= 0, got -1");
}

TEST(ConfigTest, EnumsAndEmptyStrings) {
  EXPECT_EQ(ErrorFor("[log]\nlevel = \"verbose\"\n"),
            "mamori.toml:2: key 'log.level' must be one of "
            "trace|debug|info|warn|error|critical|off, got 'verbose'");
  EXPECT_EQ(ErrorFor("[log]\nlevel = \"warning\"\n"),
            "mamori.toml:2: key 'log.level' must be one of "
            "trace|debug|info|warn|error|critical|off, got 'warning'; did you mean 'warn'?");
  EXPECT_EQ(ErrorFor("[log]\nlevel = \"INFO\"\n"),
            "mamori.toml:2: key 'log.level' must be one of "
            "trace|debug|info|warn|error|critical|off, got 'INFO'; did you mean 'info'?");
  EXPECT_EQ(ErrorFor("[log]\nformat = \"jsn\"\n"),
            "mamori.toml:2: key 'log.format' must be one of text|json, got 'jsn'; did you mean "
            "'json'?");
  EXPECT_EQ(ErrorFor("[store]\npath = \"\"\n"),
            "mamori.toml:2: key 'store.path' must be a non-empty string, got an empty string");
  for (std::string_view level : {"trace", "debug", "info", "warn", "error", "critical", "off"}) {
    auto config = ParseConfig(fmt::format("[log]\nlevel = \"{}\"\n", level), "mamori.toml");
    ASSERT_TRUE(config.has_value()) << level;
    EXPECT_EQ(config->log.level, level);
  }
}

TEST(ConfigTest, FirstProblemInFileOrderIsReported) {
  // [feeds] sorts before [server] as a TOML table; the report must follow the file instead.
  EXPECT_EQ(ErrorFor("[server]\nport = 0\n[feeds]\nretries = 99\nbogus = 1\n"),
            "mamori.toml:2: key 'server.port' must be an integer in 1..65535, got 0 (and 2 more "
            "problems after fixing this one)");
  EXPECT_EQ(ErrorFor("[server]\nport = 0\n[feeds]\nretries = 99\n"),
            "mamori.toml:2: key 'server.port' must be an integer in 1..65535, got 0 (and 1 more "
            "problem after fixing this one)");
}

TEST(ConfigTest, SyntaxErrorNamesFileLineAndColumn) {
  auto config = ParseConfig("[server]\nport = = 8080\n", "/etc/mamori.toml");
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(config.error().context.rfind("/etc/mamori.toml:2:", 0), 0u) << config.error().context;
  EXPECT_EQ(config.error().message.rfind("TOML syntax error: ", 0), 0u) << config.error().message;

  auto duplicate = ParseConfig("[server]\nport = 1\nport = 2\n", "mamori.toml");
  ASSERT_FALSE(duplicate.has_value());
  EXPECT_EQ(duplicate.error().context.rfind("mamori.toml:3:", 0), 0u)
      << duplicate.error().ToString();

  auto unterminated = ParseConfig("[log]\nlevel = \"info\n", "mamori.toml");
  ASSERT_FALSE(unterminated.has_value());
  EXPECT_EQ(unterminated.error().context.rfind("mamori.toml:2:", 0), 0u)
      << unterminated.error().ToString();
}

TEST(ConfigTest, EmptyOriginStillNamesTheInput) {
  auto config = ParseConfig("[server]\nprot = 1\n", "");
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().context, "<config>:2");
}

TEST(LoadConfigTest, MissingFile) {
  TempDir dir;
  std::string path = (dir.path() / "absent.toml").string();
  auto optional = LoadConfig(path, /*must_exist=*/false);
  ASSERT_TRUE(optional.has_value());
  ExpectDefaults(*optional);

  auto required = LoadConfig(path, /*must_exist=*/true);
  ASSERT_FALSE(required.has_value());
  EXPECT_EQ(required.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(required.error().context, path);
  EXPECT_NE(required.error().message.find("not found"), std::string::npos);
}

TEST(LoadConfigTest, ReadsFileAndReportsErrorsWithItsPath) {
  TempDir dir;
  std::string path = (dir.path() / "mamori.toml").string();
  std::ofstream(path) << "[server]\nport = 9000\n[log]\nformat = \"json\"\n";
  auto config = LoadConfig(path, /*must_exist=*/true);
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  EXPECT_EQ(config->server.port, 9000);
  EXPECT_EQ(config->log.format, "json");

  std::ofstream(path) << "[server]\n\nprot = 9000\n";
  auto bad = LoadConfig(path, /*must_exist=*/false);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().ToString(), path +
                                        ":3: unknown key 'server.prot' (known keys in [server]: "
                                        "listen, port, require_auth, session_hours, tls_cert, "
                                        "tls_key); did you mean 'port'?");
}

TEST(LoadConfigTest, DirectoryAndHugeFileAreErrors) {
  TempDir dir;
  auto directory = LoadConfig(dir.path().string(), /*must_exist=*/false);
  ASSERT_FALSE(directory.has_value());
  EXPECT_EQ(directory.error().code, ErrorCode::kIo);
  EXPECT_EQ(directory.error().context, dir.path().string());

  std::string path = (dir.path() / "big.toml").string();
  {
    std::ofstream out(path);
    std::string comment = "# " + std::string(1000, 'x') + "\n";
    for (int i = 0; i < 1100; ++i) out << comment;
  }
  auto big = LoadConfig(path, /*must_exist=*/true);
  ASSERT_FALSE(big.has_value());
  EXPECT_EQ(big.error().code, ErrorCode::kTooLarge);
}

TEST(DefaultConfigTomlTest, ParsesBackToDefaults) {
  std::string text = DefaultConfigToml();
  auto config = ParseConfig(text, "defaults");
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  ExpectDefaults(*config);
}

TEST(DefaultConfigTomlTest, ListsEveryKeyExplicitly) {
  toml::table table = toml::parse(DefaultConfigToml());
  size_t keys = 0;
  for (const auto& [section, node] : table) {
    ASSERT_TRUE(node.is_table()) << section.str();
    keys += node.as_table()->size();
  }
  EXPECT_EQ(keys, 74u);  // every field of Config
  EXPECT_EQ(table["server"]["port"].value<int64_t>(), 8080);
  EXPECT_EQ(table["feeds"]["max_download_bytes"].value<int64_t>(), 268435456);
  // The share is written as a float, not as an integer that happens to be accepted.
  EXPECT_TRUE(table["feeds"]["max_invalid_share"].is_floating_point());
  EXPECT_EQ(table["log"]["level"].value<std::string>(), "info");
}

TEST(DefaultConfigTomlTest, FitsIn100ColumnsAndDocumentsRanges) {
  std::string text = DefaultConfigToml();
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) EXPECT_LE(line.size(), 100u) << line;
  EXPECT_NE(text.find("# Allowed: an integer in 1..65535.\nport = 8080\n"), std::string::npos);
  EXPECT_NE(text.find("# Allowed: one of trace|debug|info|warn|error|critical|off.\n"
                      "level = \"info\"\n"),
            std::string::npos);
  EXPECT_NE(text.find("max_invalid_share = 0.5\n"), std::string::npos);
}

#ifdef MAMORI_SOURCE_DIR
// The shipped example is DefaultConfigToml() verbatim; regenerate it with
// `mamori config defaults > mamori.toml.example` when a key changes.
TEST(DefaultConfigTomlTest, ExampleFileMatches) {
  std::filesystem::path example = std::filesystem::path(MAMORI_SOURCE_DIR) / "mamori.toml.example";
  ASSERT_TRUE(std::filesystem::exists(example)) << example;
  EXPECT_EQ(ReadFile(example), DefaultConfigToml());
}

// The format reference documents every key, with the default the code uses.
TEST(DefaultConfigTomlTest, FormatDocCoversEveryKey) {
  std::filesystem::path doc =
      std::filesystem::path(MAMORI_SOURCE_DIR) / "docs" / "formats" / "mamori-toml.md";
  std::string text = ReadFile(doc);
  ASSERT_FALSE(text.empty()) << doc;
  toml::table table = toml::parse(DefaultConfigToml());
  for (const auto& [section, node] : table) {
    size_t heading = text.find(fmt::format("## [{}]", section.str()));
    ASSERT_NE(heading, std::string::npos) << section.str();
    for (const auto& [key, value] : *node.as_table()) {
      std::string row_start = fmt::format("| `{}` |", key.str());
      size_t row = text.find(row_start, heading);
      ASSERT_NE(row, std::string::npos) << section.str() << "." << key.str();
      std::string row_text = text.substr(row, text.find('\n', row) - row);
      std::string default_text;
      if (auto s = value.value_exact<std::string>()) {
        default_text = fmt::format("`\"{}\"`", *s);
      } else if (auto b = value.value_exact<bool>()) {
        default_text = *b ? "`true`" : "`false`";
      } else if (auto i = value.value_exact<int64_t>()) {
        default_text = fmt::format("`{}`", *i);
      } else if (auto d = value.value_exact<double>()) {
        default_text = fmt::format("`{}`", *d);
      }
      EXPECT_NE(row_text.find(default_text), std::string::npos)
          << section.str() << "." << key.str() << " default " << default_text
          << " missing from: " << row_text;
    }
  }
}

// The example in the reference must be a valid configuration.
TEST(DefaultConfigTomlTest, FormatDocExampleParses) {
  std::string text =
      ReadFile(std::filesystem::path(MAMORI_SOURCE_DIR) / "docs" / "formats" / "mamori-toml.md");
  size_t start = text.find("```toml\n");
  ASSERT_NE(start, std::string::npos);
  start += 8;
  std::string example = text.substr(start, text.find("```", start) - start);
  auto config = ParseConfig(example, "mamori-toml.md example");
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  EXPECT_EQ(config->server.port, 8443);
  EXPECT_EQ(config->feeds.max_download_bytes, 536870912);
  EXPECT_EQ(config->log.format, "json");
  EXPECT_EQ(config->scheduler.tick_seconds, 60);
  EXPECT_TRUE(config->scheduler.enabled);
}
#endif

}  // namespace
}  // namespace mamori
