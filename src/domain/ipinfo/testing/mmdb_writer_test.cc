// Checks the test MMDB writer against libmaxminddb's own command-line reader (mmdblookup), so
// the reader tests that use the writer rest on files a real MaxMind reader accepts.
#include "domain/ipinfo/testing/mmdb_writer.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "core/test_temp_dir.h"

namespace mamori::domain::ipinfo::testing {
namespace {

constexpr const char* kMmdblookup = "/usr/bin/mmdblookup";

struct RunResult {
  int exit_code = -1;
  std::string output;
};

// Runs mmdblookup with arguments we build ourselves (paths from TempDir, literal IPs).
RunResult Mmdblookup(const std::string& file, const std::string& ip, const std::string& path = "") {
  std::string command = std::string(kMmdblookup) + " --file '" + file + "' --ip " + ip;
  if (!path.empty()) command += " " + path;
  command += " 2>&1";
  RunResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) result.output.append(buffer, n);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

Cidr Net(std::string_view text) { return Cidr::Parse(text)->cidr; }

class MmdbWriterOracle : public ::testing::TestWithParam<std::tuple<int, int>> {
 protected:
  void SetUp() override {
    if (access(kMmdblookup, X_OK) != 0) {
      GTEST_SKIP() << kMmdblookup << " is missing (Debian package mmdb-bin; scripts/install-deps)";
    }
  }
};

TEST_P(MmdbWriterOracle, MmdblookupReadsWhatWeWrote) {
  auto [ip_version, record_size] = GetParam();
  MmdbWriterOptions options;
  options.ip_version = ip_version;
  options.record_size = record_size;
  options.database_type = "GeoLite2-ASN";
  MmdbWriter writer(options);
  ASSERT_TRUE(writer.Insert(Net("1.0.0.0/24"), AsnRecord(13335, "CLOUDFLARENET")));
  ASSERT_TRUE(writer.Insert(Net("8.8.8.0/24"), AsnRecord(15169, "GOOGLE")));
  // A more specific network inside an earlier one splits it.
  ASSERT_TRUE(writer.Insert(Net("10.0.0.0/8"), AsnRecord(64500, "Outer")));
  ASSERT_TRUE(writer.Insert(Net("10.1.2.0/24"), AsnRecord(64501, "Inner")));
  // A long organisation name: a string size of 29 or more takes an extra size byte.
  std::string long_org(300, 'x');
  ASSERT_TRUE(writer.Insert(Net("192.0.2.0/24"), AsnRecord(4200000000u, long_org)));
  if (ip_version == 6) {
    ASSERT_TRUE(writer.Insert(Net("2001:4860::/32"), AsnRecord(15169, "GOOGLE")));
  }
  mamori::testing::TempDir dir;
  std::string file = dir.File("test.mmdb");
  ASSERT_TRUE(writer.WriteFile(file));

  RunResult r = Mmdblookup(file, "1.0.0.1", "autonomous_system_number");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("13335 <uint32>"), std::string::npos) << r.output;
  r = Mmdblookup(file, "1.0.0.255", "autonomous_system_organization");
  EXPECT_NE(r.output.find("\"CLOUDFLARENET\" <utf8_string>"), std::string::npos) << r.output;
  r = Mmdblookup(file, "8.8.8.8");
  EXPECT_NE(r.output.find("15169 <uint32>"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("\"GOOGLE\" <utf8_string>"), std::string::npos) << r.output;
  r = Mmdblookup(file, "10.200.0.1", "autonomous_system_number");
  EXPECT_NE(r.output.find("64500 <uint32>"), std::string::npos) << r.output;
  r = Mmdblookup(file, "10.1.2.3", "autonomous_system_number");
  EXPECT_NE(r.output.find("64501 <uint32>"), std::string::npos) << r.output;
  r = Mmdblookup(file, "10.1.3.0", "autonomous_system_number");
  EXPECT_NE(r.output.find("64500 <uint32>"), std::string::npos) << r.output;
  r = Mmdblookup(file, "192.0.2.9");
  EXPECT_NE(r.output.find("4200000000 <uint32>"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("\"" + long_org + "\""), std::string::npos) << r.output;
  // The network found is the one inserted: /24, at ::1.0.0.0/120 in an IPv6 tree.
  r = Mmdblookup(file, "1.0.0.7 --verbose");
  EXPECT_NE(
      r.output.find(ip_version == 6 ? "Record prefix length: 120" : "Record prefix length: 24"),
      std::string::npos)
      << r.output;
  r = Mmdblookup(file, "9.9.9.9");
  EXPECT_NE(r.output.find("Could not find an entry"), std::string::npos) << r.output;
  if (ip_version == 6) {
    r = Mmdblookup(file, "2001:4860:4860::8888", "autonomous_system_number");
    EXPECT_NE(r.output.find("15169 <uint32>"), std::string::npos) << r.output;
  }
}

INSTANTIATE_TEST_SUITE_P(RecordSizes, MmdbWriterOracle,
                         ::testing::Combine(::testing::Values(4, 6),
                                            ::testing::Values(24, 28, 32)));

// Record values above 2^24 exercise the extra bits of 28- and 32-bit records (in 28-bit
// records, the nibbles of the shared middle byte): a 17 MB data entry pushes the next one there.
TEST(MmdbWriter, LargeRecordValuesUseTheHighBits) {
  if (access(kMmdblookup, X_OK) != 0) GTEST_SKIP() << kMmdblookup << " is missing";
  const std::string padding(17 << 20, 'p');
  for (int record_size : {24, 28, 32}) {
    MmdbWriterOptions options;
    options.record_size = record_size;
    MmdbWriter writer(options);
    ASSERT_TRUE(
        writer.Insert(Net("1.0.0.0/24"), MmdbValue::Map({{"pad", MmdbValue::String(padding)}})));
    ASSERT_TRUE(writer.Insert(Net("8.8.8.0/24"), AsnRecord(15169, "GOOGLE")));
    ASSERT_TRUE(writer.Insert(Net("9.9.9.0/24"), AsnRecord(19281, "QUAD9")));
    mamori::testing::TempDir dir;
    std::string file = dir.File("large.mmdb");
    auto status = writer.WriteFile(file);
    if (record_size == 24) {
      ASSERT_FALSE(status);
      EXPECT_EQ(status.error().code, ErrorCode::kTooLarge);
      continue;
    }
    ASSERT_TRUE(status) << status.error().ToString();
    RunResult r = Mmdblookup(file, "8.8.8.8", "autonomous_system_number");
    EXPECT_NE(r.output.find("15169 <uint32>"), std::string::npos) << record_size << r.output;
    r = Mmdblookup(file, "9.9.9.9", "autonomous_system_organization");
    EXPECT_NE(r.output.find("\"QUAD9\""), std::string::npos) << record_size << r.output;
  }
}

TEST(MmdbWriter, MetadataIsWhatMmdblookupReports) {
  if (access(kMmdblookup, X_OK) != 0) GTEST_SKIP() << kMmdblookup << " is missing";
  MmdbWriterOptions options;
  options.database_type = "GeoLite2-Country";
  options.description = "countries for a test";
  MmdbWriter writer(options);
  ASSERT_TRUE(writer.Insert(Net("2001:db8::/32"), CountryRecord("JP")));
  mamori::testing::TempDir dir;
  ASSERT_TRUE(writer.WriteFile(dir.File("c.mmdb")));
  std::string command =
      std::string(kMmdblookup) + " --file '" + dir.File("c.mmdb") + "' --ip 2001:db8::1 --verbose";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) out.append(buffer, n);
  pclose(pipe);
  EXPECT_NE(out.find("Type:          GeoLite2-Country"), std::string::npos) << out;
  EXPECT_NE(out.find("IP version:    IPv6"), std::string::npos) << out;
  EXPECT_NE(out.find("Record size:   24 bits"), std::string::npos) << out;
  EXPECT_NE(out.find("Binary format: 2.0"), std::string::npos) << out;
  EXPECT_NE(out.find("Build epoch:   1700000000"), std::string::npos) << out;
  EXPECT_NE(out.find("Languages:     en"), std::string::npos) << out;
  EXPECT_NE(out.find("en:   countries for a test"), std::string::npos) << out;
  EXPECT_NE(out.find("Record prefix length: 32"), std::string::npos) << out;
  EXPECT_NE(out.find("\"JP\" <utf8_string>"), std::string::npos) << out;
}

TEST(MmdbWriter, RefusesIpv6InAnIpv4Tree) {
  MmdbWriterOptions options;
  options.ip_version = 4;
  MmdbWriter writer(options);
  EXPECT_FALSE(writer.Insert(Net("2001:db8::/32"), CountryRecord("JP")));
  EXPECT_FALSE(writer.Insert(Net("0.0.0.0/0"), CountryRecord("JP")));
}

}  // namespace
}  // namespace mamori::domain::ipinfo::testing
