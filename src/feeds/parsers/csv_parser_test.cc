#include "feeds/parsers/csv_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "feeds/parsers/csv_reader.h"
#include "feeds/parsers/test_util.h"

namespace mamori::feeds::parsers {
namespace {

using ::testing::ElementsAre;
using testing::ErrorLines;
using ::testing::HasSubstr;
using testing::ParseOk;
using testing::ReadTestdata;
using testing::Values;

ParserOptions HeaderOptions() {
  ParserOptions o;
  o.csv_has_header = true;
  o.csv_value_column = "indicator";
  o.csv_type_column = "type";
  o.csv_category_column = "Category";  // header names compare case-insensitively
  o.csv_confidence_column = "confidence";
  return o;
}

TEST(CsvReaderTest, Rfc4180Quoting) {
  CsvReader reader("a,\"b,c\",\"say \"\"hi\"\"\"\n\"two\nlines\",x\n  # comment\n\nlast", ',');
  ASSERT_EQ(reader.Next(), CsvReader::Kind::kRecord);
  EXPECT_THAT(reader.fields(), ElementsAre("a", "b,c", "say \"hi\""));
  EXPECT_EQ(reader.line(), 1u);
  ASSERT_EQ(reader.Next(), CsvReader::Kind::kRecord);
  EXPECT_THAT(reader.fields(), ElementsAre("two\nlines", "x"));
  EXPECT_EQ(reader.line(), 2u);
  EXPECT_EQ(reader.lines_spanned(), 2u);
  EXPECT_EQ(reader.Next(), CsvReader::Kind::kComment);
  EXPECT_EQ(reader.line(), 4u);
  EXPECT_EQ(reader.Next(), CsvReader::Kind::kBlank);
  ASSERT_EQ(reader.Next(), CsvReader::Kind::kRecord);
  EXPECT_THAT(reader.fields(), ElementsAre("last"));
  EXPECT_EQ(reader.line(), 6u);
  EXPECT_EQ(reader.Next(), CsvReader::Kind::kEnd);
}

TEST(CsvReaderTest, EmptyFieldsAndCrlf) {
  CsvReader reader("a,,\"\",\r\n\"q\",b\r\n", ',');
  ASSERT_EQ(reader.Next(), CsvReader::Kind::kRecord);
  EXPECT_THAT(reader.fields(), ElementsAre("a", "", "", ""));
  ASSERT_EQ(reader.Next(), CsvReader::Kind::kRecord);
  EXPECT_THAT(reader.fields(), ElementsAre("q", "b"));
  EXPECT_EQ(reader.line(), 2u);
  EXPECT_EQ(reader.Next(), CsvReader::Kind::kEnd);
}

TEST(CsvReaderTest, UnterminatedQuoteCostsOneLine) {
  CsvReader reader("a,b\n\"never closed,x\nc.example,y\n", ',');
  ASSERT_EQ(reader.Next(), CsvReader::Kind::kRecord);
  ASSERT_EQ(reader.Next(), CsvReader::Kind::kMalformed);
  EXPECT_EQ(reader.line(), 2u);
  EXPECT_THAT(reader.error(), HasSubstr("unterminated"));
  ASSERT_EQ(reader.Next(), CsvReader::Kind::kRecord);
  EXPECT_EQ(reader.line(), 3u);
  EXPECT_THAT(reader.fields(), ElementsAre("c.example", "y"));
}

TEST(CsvParserTest, GoodFixtureWithHeaderNamesAndQuoting) {
  ParsedFeed feed = ParseOk(FeedFormat::kCsv, ReadTestdata("csv_good.csv"), HeaderOptions());
  const ParseReport& r = feed.report;
  EXPECT_EQ(r.lines_total, 9u);
  EXPECT_EQ(r.lines_skipped, 2u);  // comment and header
  EXPECT_EQ(r.invalid, 0u) << (r.first_errors.empty() ? "" : r.first_errors[0].reason);
  EXPECT_THAT(Values(feed),
              ElementsAre("1.2.3.4", "evil.example", "http://x.example/a,b", "multi.example",
                          "d41d8cd98f00b204e9800998ecf8427e", "spaced.example"));
  ASSERT_EQ(feed.entries.size(), 6u);
  EXPECT_EQ(feed.entries[0].category, "scanner");
  EXPECT_EQ(feed.entries[0].confidence, 80);
  EXPECT_EQ(feed.entries[1].category, "phishing");
  EXPECT_EQ(feed.entries[1].confidence, 90);
  EXPECT_EQ(feed.entries[2].indicator.type, IndicatorType::kUrl);
  EXPECT_EQ(feed.entries[2].confidence, -1);
  EXPECT_EQ(feed.entries[3].category, "c2");
  EXPECT_EQ(feed.entries[4].indicator.type, IndicatorType::kMd5);
  EXPECT_EQ(feed.entries[5].category, "phishing");
  EXPECT_EQ(feed.entries[5].confidence, 10);
}

TEST(CsvParserTest, MalformedFixtureWithIndexColumns) {
  ParserOptions o;
  o.csv_value_column = "0";
  o.csv_confidence_column = "1";
  o.csv_type_column = "2";
  ParsedFeed feed = ParseOk(FeedFormat::kCsv, ReadTestdata("csv_malformed.csv"), o);
  const ParseReport& r = feed.report;
  EXPECT_EQ(r.lines_total, 10u);
  EXPECT_THAT(Values(feed), ElementsAre("1.2.3.4", "5.6.7.8"));
  EXPECT_EQ(r.invalid, 8u);
  EXPECT_THAT(ErrorLines(r), ElementsAre(2, 4, 5, 6, 7, 8, 9, 10));
  EXPECT_THAT(r.first_errors[0].reason, HasSubstr("closing quote"));
  EXPECT_THAT(r.first_errors[3].reason, HasSubstr("confidence '150'"));
  EXPECT_THAT(r.first_errors[5].reason, HasSubstr("unknown indicator type 'hash'"));
  EXPECT_THAT(r.first_errors[7].reason, HasSubstr("empty value"));
}

TEST(CsvParserTest, TabDelimiterAndShortRows) {
  ParserOptions o;
  o.csv_delimiter = '\t';
  o.csv_value_column = "1";
  ParsedFeed feed = ParseOk(FeedFormat::kCsv, "x\tevil.example\ty\nonly-one-field\n", o);
  EXPECT_THAT(Values(feed), ElementsAre("evil.example"));
  EXPECT_EQ(feed.report.invalid, 1u);
  EXPECT_THAT(feed.report.first_errors[0].reason, HasSubstr("row has 1 field"));
}

TEST(CsvParserTest, HeaderWithoutTheNamedColumnFailsTheDocument) {
  ParserOptions o;
  o.csv_has_header = true;
  o.csv_value_column = "url";
  auto parser = MakeParser(FeedFormat::kCsv, o);
  ASSERT_TRUE(parser);
  ParsedFeed feed;
  auto status = (*parser)->Parse("# c\nid,value\n1,evil.example\n", "feed.csv", feed);
  ASSERT_FALSE(status);
  EXPECT_THAT(status.error().message, HasSubstr("no column 'url'"));
  EXPECT_EQ(status.error().context, "feed.csv:2");
}

TEST(CsvParserTest, ColumnNameWithoutHeaderIsAnOptionError) {
  ParserOptions o;
  o.csv_value_column = "url";
  auto parser = MakeParser(FeedFormat::kCsv, o);
  ASSERT_FALSE(parser);
  EXPECT_THAT(parser.error().message, HasSubstr("csv_has_header"));

  ParserOptions bad_delimiter;
  bad_delimiter.csv_delimiter = '"';
  EXPECT_FALSE(MakeParser(FeedFormat::kCsv, bad_delimiter));
}

}  // namespace
}  // namespace mamori::feeds::parsers
