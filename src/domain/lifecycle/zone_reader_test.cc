#include "domain/lifecycle/zone_reader.h"

#include <gtest/gtest.h>

#include "domain/lifecycle/internal/test_files.h"
#include "domain/lifecycle/source_file.h"

namespace mamori::domain::lifecycle {
namespace {

using testing::WriteFile;
using Names = std::vector<std::string>;

TEST(ZoneReader, PlainListWithZoneAndDayFromTheFileName) {
  mamori::testing::TempDir dir;
  auto path = WriteFile(dir, "com-2026-01-05.txt",
                        "# registered names\nexample.com\nEXAMPLE.COM.\nbare\nfoo.org\n");
  ingest::IngestReport report;
  auto got = ReadZoneSnapshot(path, {}, report);
  ASSERT_TRUE(got) << got.error().ToString();
  EXPECT_EQ(got->zone, "com");
  EXPECT_EQ(DayText(got->day), "2026-01-05");
  EXPECT_EQ(got->domains, (Names{"bare.com", "example.com"}));  // sorted, unique
  EXPECT_EQ(report.records, 3);
  EXPECT_EQ(report.ignored, 1);
  ASSERT_EQ(report.errors.size(), 1u);
  EXPECT_EQ(report.errors[0], path + ":5: 'foo.org' is not a name under the zone 'com'");
}

TEST(ZoneReader, CzdsStyleMasterFileKeepsDelegationsOnly) {
  mamori::testing::TempDir dir;
  auto path = WriteFile(dir, "com.zone",
                        "com.\t900\tin\tsoa\ta.gtld-servers.net. nstld.verisign-grs.com. 1 2 3 4 5\n"
                        "com.\t172800\tin\tns\ta.gtld-servers.net.\n"
                        "example.com.\t172800\tin\tns\tns1.example.com.\n"
                        "example.com.\t172800\tin\tns\tns2.example.com.\n"
                        "ns1.example.com.\t172800\tin\ta\t192.0.2.1\n"
                        "Other.COM.\t172800\tIN\tNS\tns.host.net.\n"
                        "example.com.\t86400\tin\tds\t1 8 2 ABCD\n"
                        "stray.net.\t172800\tin\tns\tns.host.net.\n");
  ingest::IngestOptions options;
  options.day = 20'500;
  ingest::IngestReport report;
  auto got = ReadZoneSnapshot(path, options, report);
  ASSERT_TRUE(got) << got.error().ToString();
  EXPECT_EQ(got->zone, "com");
  EXPECT_EQ(got->day, 20'500);
  EXPECT_EQ(got->domains, (Names{"example.com", "other.com"}));
  EXPECT_EQ(report.records, 3);
  EXPECT_EQ(report.ignored, 4);  // SOA, apex NS, glue A, DS
  ASSERT_EQ(report.errors.size(), 1u);
  EXPECT_EQ(report.errors[0], path + ":8: NS owner 'stray.net' is outside the zone 'com'");
}

TEST(ZoneReader, MasterFileWithOriginRelativeNamesCommentsAndParentheses) {
  mamori::testing::TempDir dir;
  auto path = WriteFile(dir, "snapshot-2026-01-05.txt",
                        "$ORIGIN example. ; the zone\n"
                        "$TTL 3600\n"
                        "@ IN SOA ns.example. host.example. (\n"
                        "      2026010501 ; serial\n"
                        "      7200 3600 1209600 3600 )\n"
                        "@ NS ns.example.\n"
                        "alpha 3600 IN NS ns1.alpha\n"
                        "      IN NS ns2.alpha ; same owner\n"
                        "beta IN 1h NS ns.host.net.\n"
                        "gamma TXT \"a ; not a comment\" ; a comment\n"
                        "delta.example. NS ns.host.net.\n"
                        "\tNS ns.other.net.\n"
                        "$INCLUDE other.zone\n"
                        "bad..name NS x.\n");
  ingest::IngestReport report;
  auto got = ReadZoneSnapshot(path, {}, report);
  ASSERT_TRUE(got) << got.error().ToString();
  EXPECT_EQ(got->zone, "example");  // from $ORIGIN, not the file name
  EXPECT_EQ(got->domains, (Names{"alpha.example", "beta.example", "delta.example"}));
  ASSERT_EQ(report.errors.size(), 2u);
  EXPECT_NE(report.errors[0].find(":13: $INCLUDE is not followed"), std::string::npos);
  EXPECT_NE(report.errors[1].find(":14: invalid name 'bad..name.example'"), std::string::npos)
      << report.errors[1];
}

TEST(ZoneReader, TheZoneNameFromOptionsWins) {
  mamori::testing::TempDir dir;
  auto path = WriteFile(dir, "dump-2026-01-05.zone",
                        "$ORIGIN org.\nexample NS ns.x.net.\n");
  ingest::IngestOptions options;
  options.name = "ORG.";
  ingest::IngestReport report;
  auto got = ReadZoneSnapshot(path, options, report);
  ASSERT_TRUE(got) << got.error().ToString();
  EXPECT_EQ(got->zone, "org");
  EXPECT_EQ(got->domains, (Names{"example.org"}));
}

TEST(ZoneReader, WithoutAZoneNameTheFileIsRefused) {
  mamori::testing::TempDir dir;
  auto path = WriteFile(dir, "2026-01-05.txt", "example.com\n");
  ingest::IngestReport report;
  // A plain list of full names and no zone anywhere: nothing says which zone this is.
  auto got = ReadZoneSnapshot(path, {}, report);
  ASSERT_FALSE(got);
  EXPECT_NE(got.error().message.find("no zone name"), std::string::npos);
}

}  // namespace
}  // namespace mamori::domain::lifecycle
