// Tests of the format-independent parts of feeds/parser.h: options, the factory, the report and
// de-duplication.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "feeds/parser.h"
#include "feeds/parsers/test_util.h"

namespace mamori::feeds {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ParserOptionsTest, DefaultsFromEmptyInput) {
  for (const char* json : {"", "  ", "{}"}) {
    auto o = ParserOptions::FromJson(json);
    ASSERT_TRUE(o) << json;
    EXPECT_FALSE(o->indicator_type);
    EXPECT_EQ(o->csv_delimiter, ',');
    EXPECT_FALSE(o->csv_has_header);
    EXPECT_EQ(o->csv_value_column, "0");
    EXPECT_EQ(o->default_confidence, -1);
  }
}

TEST(ParserOptionsTest, ReadsEveryKey) {
  auto o = ParserOptions::FromJson(R"({
      "indicator_type": "domain", "csv_delimiter": "\t", "csv_has_header": true,
      "csv_value_column": "url", "csv_category_column": 3, "csv_confidence_column": "score",
      "csv_type_column": "kind", "default_confidence": 75,
      "collection": "abc", "headers": {"X-Api-Key": "k"}})");
  ASSERT_TRUE(o) << o.error().ToString();
  EXPECT_EQ(o->indicator_type, IndicatorType::kDomain);
  EXPECT_EQ(o->csv_delimiter, '\t');
  EXPECT_TRUE(o->csv_has_header);
  EXPECT_EQ(o->csv_value_column, "url");
  EXPECT_EQ(o->csv_category_column, "3");
  EXPECT_EQ(o->csv_confidence_column, "score");
  EXPECT_EQ(o->csv_type_column, "kind");
  EXPECT_EQ(o->default_confidence, 75);
}

TEST(ParserOptionsTest, UnknownKeyIsAnErrorNamingIt) {
  auto o = ParserOptions::FromJson(R"({"csv_delimeter": ";"})");
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(o.error().message, HasSubstr("unknown option 'csv_delimeter'"));
  EXPECT_THAT(o.error().message, HasSubstr("csv_delimiter"));  // lists the known keys
  EXPECT_EQ(o.error().context, "options_json");
}

TEST(ParserOptionsTest, BadValues) {
  for (const char* json : {R"({"indicator_type": "ip"})", R"({"csv_delimiter": ",,"})",
                           R"({"csv_has_header": 1})", R"({"csv_value_column": -1})",
                           R"({"csv_value_column": true})", R"({"default_confidence": 101})",
                           R"({"default_confidence": "50"})", "[1]", "{", "not json"}) {
    auto o = ParserOptions::FromJson(json);
    EXPECT_FALSE(o) << json;
  }
}

TEST(MakeParserTest, EveryFormatHasAParser) {
  for (FeedFormat f :
       {FeedFormat::kPlain, FeedFormat::kHosts, FeedFormat::kCsv, FeedFormat::kNetset,
        FeedFormat::kUrlhausCsv, FeedFormat::kMisp, FeedFormat::kStix, FeedFormat::kTaxii}) {
    auto p = MakeParser(f, {});
    ASSERT_TRUE(p) << FeedFormatName(f);
    EXPECT_NE(p->get(), nullptr);
  }
  ParserOptions bad;
  bad.default_confidence = 200;
  EXPECT_FALSE(MakeParser(FeedFormat::kPlain, bad));
  ParserOptions url_only;
  url_only.indicator_type = IndicatorType::kDomain;
  EXPECT_FALSE(MakeParser(FeedFormat::kUrlhausCsv, url_only));
}

TEST(ParseReportTest, AddErrorCutsExcerptsWithoutSplittingUtf8) {
  ParseReport r;
  std::string long_text = std::string(79, 'a') + "\xC3\xBC" + "tail";  // 'ü' straddles byte 80
  r.AddError(3, "why", long_text);
  ASSERT_EQ(r.first_errors.size(), 1u);
  EXPECT_EQ(r.first_errors[0].excerpt, std::string(79, 'a'));
  EXPECT_EQ(r.first_errors[0].line, 3u);
  for (int i = 0; i < 20; ++i) r.AddError(10 + i, "x", "y");
  EXPECT_EQ(r.first_errors.size(), ParseReport::kMaxReportedErrors);
  EXPECT_EQ(r.invalid, 0u);  // AddError records; the caller counts
}

TEST(ParseReportTest, MergeAndInvalidShare) {
  ParseReport a;
  a.entries = 6;
  a.invalid = 2;
  a.lines_total = 9;
  a.AddError(1, "a", "");
  ParseReport b;
  b.entries = 1;
  b.invalid = 1;
  b.unsupported = 4;
  b.host_bits_cleared = 2;
  b.AddError(7, "b", "");
  a.Merge(b);
  EXPECT_EQ(a.entries, 7u);
  EXPECT_EQ(a.invalid, 3u);
  EXPECT_EQ(a.unsupported, 4u);
  EXPECT_EQ(a.host_bits_cleared, 2u);
  EXPECT_EQ(a.lines_total, 9u);
  EXPECT_EQ(a.first_errors.size(), 2u);
  EXPECT_DOUBLE_EQ(a.InvalidShare(), 0.3);
  EXPECT_EQ(ParseReport().InvalidShare(), 0.0);
}

store::ListingEntry Entry(IndicatorType type, std::string value, std::string category = "") {
  store::ListingEntry e;
  e.indicator = {type, std::move(value)};
  e.category = std::move(category);
  return e;
}

TEST(DeduplicateTest, KeepsTheFirstOfEachIndicatorInOrder) {
  ParsedFeed feed;
  feed.entries = {
      Entry(IndicatorType::kDomain, "a.example", "first"), Entry(IndicatorType::kIpv4, "1.2.3.4"),
      Entry(IndicatorType::kDomain, "a.example", "second"),
      Entry(IndicatorType::kDomain, "b.example"), Entry(IndicatorType::kIpv4, "1.2.3.4"),
      // Same text, another type: a different indicator.
      Entry(IndicatorType::kUrl, "a.example")};
  Deduplicate(feed);
  ASSERT_EQ(feed.entries.size(), 4u);
  EXPECT_EQ(feed.entries[0].indicator.value, "a.example");
  EXPECT_EQ(feed.entries[0].category, "first");
  EXPECT_EQ(feed.entries[1].indicator.value, "1.2.3.4");
  EXPECT_EQ(feed.entries[2].indicator.value, "b.example");
  EXPECT_EQ(feed.entries[3].indicator.type, IndicatorType::kUrl);
  EXPECT_EQ(feed.report.duplicates, 2u);

  Deduplicate(feed);  // idempotent
  EXPECT_EQ(feed.entries.size(), 4u);
  EXPECT_EQ(feed.report.duplicates, 2u);
}

TEST(DeduplicateTest, ManyEntriesWithCollidingSlots) {
  ParsedFeed feed;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 20000; ++i) {
      feed.entries.push_back(
          Entry(IndicatorType::kDomain, "host" + std::to_string(i) + ".example"));
    }
  }
  ParsedFeed empty;
  Deduplicate(empty);
  Deduplicate(feed);
  ASSERT_EQ(feed.entries.size(), 20000u);
  EXPECT_EQ(feed.report.duplicates, 40000u);
  for (int i = 0; i < 20000; ++i) {
    ASSERT_EQ(feed.entries[i].indicator.value, "host" + std::to_string(i) + ".example");
  }
}

TEST(MakeParserTest, ForSourceChecksFormatAndOptionsAndSkipsFetcherKeys) {
  EXPECT_TRUE(MakeParserForSource("plain", "{}"));
  EXPECT_TRUE(MakeParserForSource("taxii", R"({"collection": "c1", "page_limit": 100})"));

  auto format = MakeParserForSource("txt", "{}");
  ASSERT_FALSE(format);
  EXPECT_EQ(format.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(format.error().context, "txt");

  auto option = MakeParserForSource("csv", R"({"csv_value_colum": 2})");
  ASSERT_FALSE(option);
  EXPECT_NE(option.error().ToString().find("csv_value_colum"), std::string::npos)
      << option.error().ToString();
  EXPECT_EQ(option.error().context.rfind("options", 0), 0u) << option.error().context;
}

}  // namespace
}  // namespace mamori::feeds
