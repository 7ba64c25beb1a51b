#include "domain/lifecycle/labels_reader.h"

#include <gtest/gtest.h>

#include "domain/lifecycle/internal/test_files.h"

namespace mamori::domain::lifecycle {
namespace {

using testing::WriteFile;

TEST(LabelsReader, ReadsLabelsWithHeaderDatesAndSources) {
  mamori::testing::TempDir dir;
  auto path = WriteFile(dir, "truth.csv",
                        "domain,label,date,source\n"
                        "bad.example,malicious,2026-01-05,urlhaus\n"
                        "good.example,benign,1767571200\n"
                        "x.example,1,2026-01-05T12:00:00Z\n"
                        "y.example,0,2026-01-06,\n");
  ingest::IngestReport report;
  auto got = ReadDomainLabels(path, {}, report);
  ASSERT_TRUE(got) << got.error().ToString();
  ASSERT_EQ(got->size(), 4u);
  EXPECT_EQ((*got)[0].domain, "bad.example");
  EXPECT_TRUE((*got)[0].malicious);
  EXPECT_EQ((*got)[0].at, ParseTimestamp("2026-01-05"));
  EXPECT_EQ((*got)[0].source, "urlhaus");
  EXPECT_FALSE((*got)[1].malicious);
  EXPECT_EQ((*got)[1].at, 1'767'571'200);
  EXPECT_EQ((*got)[1].source, "truth.csv");  // the file name
  EXPECT_TRUE((*got)[2].malicious);
  EXPECT_EQ((*got)[3].source, "truth.csv");
  EXPECT_EQ(report.ignored, 1);
  EXPECT_EQ(report.malformed, 0);
}

TEST(LabelsReader, NoHeaderAndSourceFromOptions) {
  mamori::testing::TempDir dir;
  auto path = WriteFile(dir, "l.csv", "a.example,malicious,2026-01-05\n");
  ingest::IngestOptions options;
  options.source = "sim-truth";
  ingest::IngestReport report;
  auto got = ReadDomainLabels(path, options, report);
  ASSERT_TRUE(got);
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].source, "sim-truth");
  EXPECT_EQ(report.ignored, 0);
}

TEST(LabelsReader, MalformedLinesAreCountedWithTheirLineNumbers) {
  mamori::testing::TempDir dir;
  auto path = WriteFile(dir, "l.csv",
                        "a.example,malicious,2026-01-05\n"
                        "b.example,evil,2026-01-05\n"
                        "c.example,benign,last tuesday\n"
                        "-bad-.example.,benign\n"
                        "not a domain,benign,2026-01-05\n");
  ingest::IngestReport report;
  auto got = ReadDomainLabels(path, {}, report);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->size(), 1u);
  ASSERT_EQ(report.errors.size(), 4u);
  EXPECT_EQ(report.errors[0], path + ":2: label 'evil' is not malicious, benign, 1 or 0");
  EXPECT_EQ(report.errors[1],
            path + ":3: date 'last tuesday' is neither YYYY-MM-DD nor Unix seconds");
  EXPECT_EQ(report.errors[2], path + ":4: expected domain,label,date[,source]; got 2 fields");
  EXPECT_NE(report.errors[3].find(":5: invalid domain 'not a domain'"), std::string::npos);
}

}  // namespace
}  // namespace mamori::domain::lifecycle
