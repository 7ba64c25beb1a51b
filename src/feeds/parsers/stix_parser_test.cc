#include "feeds/parsers/stix_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "feeds/parsers/stix_pattern.h"
#include "feeds/parsers/test_util.h"

namespace mamori::feeds::parsers {
namespace {

using ::testing::ElementsAre;
using testing::ErrorLines;
using ::testing::HasSubstr;
using testing::ParseOk;
using testing::ReadTestdata;
using testing::Values;

std::vector<std::string> TermValues(const StixPatternResult& r) {
  std::vector<std::string> out;
  for (const auto& t : r.terms) out.push_back(t.value);
  return out;
}

TEST(StixPatternTest, SupportedShapes) {
  auto one = ParseStixPattern("[domain-name:value = 'evil.example']");
  ASSERT_TRUE(one);
  EXPECT_THAT(TermValues(*one), ElementsAre("evil.example"));
  EXPECT_EQ(one->terms[0].path, "domain-name:value");

  auto ors = ParseStixPattern(
      "([ipv4-addr:value = '1.2.3.4' OR ipv6-addr:value = '2001:db8::1']) OR "
      "[file:hashes.'SHA-1' = 'aa'] OR [file:hashes.sha256 = 'bb']");
  ASSERT_TRUE(ors);
  EXPECT_THAT(TermValues(*ors), ElementsAre("1.2.3.4", "2001:db8::1", "aa", "bb"));
  EXPECT_TRUE(ors->terms[2].types.Contains(IndicatorType::kSha1));
  EXPECT_TRUE(ors->terms[3].types.Contains(IndicatorType::kSha256));
  EXPECT_TRUE(ors->unsupported.empty());

  auto in = ParseStixPattern("[ipv4-addr:value IN ('10.0.0.1', '10.0.0.2')]");
  ASSERT_TRUE(in);
  EXPECT_THAT(TermValues(*in), ElementsAre("10.0.0.1", "10.0.0.2"));

  auto subset = ParseStixPattern("[ipv4-addr:value ISSUBSET '198.51.100.0/24']");
  ASSERT_TRUE(subset);
  EXPECT_THAT(TermValues(*subset), ElementsAre("198.51.100.0/24"));
}

TEST(StixPatternTest, Escapes) {
  auto r = ParseStixPattern(R"([url:value = 'http://x.example/a\'b\\c'])");
  ASSERT_TRUE(r);
  EXPECT_THAT(TermValues(*r), ElementsAre(R"(http://x.example/a'b\c)"));
  EXPECT_FALSE(ParseStixPattern(R"([url:value = 'bad \n escape'])"));
}

TEST(StixPatternTest, UnsupportedShapesAreReportedNotDropped) {
  struct Case {
    const char* pattern;
    const char* why;
  };
  const Case cases[] = {
      {"[ipv4-addr:value = '1.2.3.4' AND ipv4-addr:value = '5.6.7.8']", "AND between comparisons"},
      {"[ipv4-addr:value = '1.2.3.4'] AND [domain-name:value = 'x.example']",
       "AND between observations"},
      {"[domain-name:value = 'a.example'] FOLLOWEDBY [domain-name:value = 'b.example']",
       "FOLLOWEDBY"},
      {"[domain-name:value LIKE '%.example']", "operator LIKE"},
      {"[domain-name:value MATCHES '^x']", "operator MATCHES"},
      {"[domain-name:value != 'x.example']", "operator !="},
      {"[domain-name:value NOT = 'x.example']", "NOT"},
      {"[EXISTS windows-registry-key:key]", "EXISTS"},
      {"[x509-certificate:hashes.'SHA-256' = 'aa']", "object path x509-certificate"},
      {"[file:hashes.'SHA-512' = 'aa']", "object path file:hashes.SHA-512"},
      {"[network-traffic:dst_port = 443]", "object path network-traffic:dst_port"},
      {"[domain-name:value = 'x.example'] REPEATS 5 TIMES", "qualifier REPEATS"},
      {"[domain-name:value = 'x.example'] START t'2024-01-01T00:00:00Z' STOP "
       "t'2024-02-01T00:00:00Z'",
       "qualifier START/STOP"},
      {"[email-message:to_refs[*].value = 'a@b.example']", "object path email-message"},
  };
  for (const Case& c : cases) {
    auto r = ParseStixPattern(c.pattern);
    ASSERT_TRUE(r) << c.pattern << ": " << r.error().message;
    EXPECT_TRUE(r->terms.empty()) << c.pattern;
    ASSERT_EQ(r->unsupported.size(), 1u) << c.pattern;
    EXPECT_THAT(r->unsupported[0], HasSubstr(c.why)) << c.pattern;
    EXPECT_THAT(r->unsupported[0], HasSubstr("unsupported pattern")) << c.pattern;
  }
}

TEST(StixPatternTest, OrKeepsTheSupportedAlternatives) {
  auto r = ParseStixPattern(
      "[domain-name:value = 'x.example' OR domain-name:value LIKE 'y%'] OR "
      "[ipv4-addr:value = '2001:db8::1']");
  ASSERT_TRUE(r);
  EXPECT_THAT(TermValues(*r), ElementsAre("x.example"));
  EXPECT_EQ(r->unsupported.size(), 1u);
  EXPECT_EQ(r->invalid.size(), 1u);  // an IPv6 value on ipv4-addr
}

TEST(StixPatternTest, SyntaxErrors) {
  for (const char* bad :
       {"", "[", "[domain-name:value = 'x'", "domain-name:value = 'x'", "[domain-name:value 'x']",
        "[domain-name:value = 'x'] OR", "[domain-name:value = 'x'] BOGUS", "[domain-name: = 'x']",
        "[domain-name:value = 'unterminated]"}) {
    EXPECT_FALSE(ParseStixPattern(bad)) << bad;
  }
  std::string deep(500, '(');
  deep += "[domain-name:value = 'x.example']" + std::string(500, ')');
  auto r = ParseStixPattern(deep);
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message, HasSubstr("nested too deeply"));
}

TEST(StixParserTest, BundleFixture) {
  ParsedFeed feed = ParseOk(FeedFormat::kStix, ReadTestdata("stix_bundle.json"));
  const ParseReport& r = feed.report;
  EXPECT_EQ(r.lines_total, 21u);
  EXPECT_EQ(r.lines_skipped, 5u);  // identity, revoked, relationship, malware, benign
  EXPECT_EQ(r.unsupported, 8u);
  EXPECT_EQ(r.invalid, 2u);
  EXPECT_EQ(r.entries, 10u);
  EXPECT_THAT(Values(feed),
              ElementsAre("c2.evil.example", "198.51.100.0/24", "203.0.113.7",
                          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                          "d41d8cd98f00b204e9800998ecf8427e", "http://evil.example/it's",
                          "2001:db8::1", "x.example", "192.0.2.1", "192.0.2.2"));
  EXPECT_EQ(feed.entries[0].category, "malware");
  EXPECT_EQ(feed.entries[0].confidence, 85);
  EXPECT_EQ(feed.entries[1].category, "suspicious");
  EXPECT_EQ(feed.entries[1].indicator.type, IndicatorType::kCidr);
  EXPECT_EQ(feed.entries[1].confidence, -1);
  EXPECT_EQ(feed.entries[6].category, "compromised");
  EXPECT_EQ(feed.entries[7].category, "");

  // Every unsupported kind and every invalid object is in the report, by object index.
  EXPECT_THAT(ErrorLines(r), ElementsAre(7, 8, 9, 10, 12, 15, 16, 17, 18, 21));
  EXPECT_THAT(r.first_errors[0].reason, HasSubstr("AND between comparisons"));
  EXPECT_EQ(r.first_errors[0].excerpt,
            "[ipv4-addr:value = '198.51.100.1' AND network-traffic:dst_port = 443]");
  EXPECT_THAT(r.first_errors[3].reason, HasSubstr("pattern_type 'yara'"));
  EXPECT_THAT(r.first_errors[5].reason, HasSubstr("operator LIKE"));
  EXPECT_THAT(r.first_errors[6].reason, HasSubstr("syntax error"));
  EXPECT_THAT(r.first_errors[8].reason, HasSubstr("qualifier WITHIN"));
}

TEST(StixParserTest, TaxiiEnvelope) {
  for (FeedFormat format : {FeedFormat::kStix, FeedFormat::kTaxii}) {
    ParsedFeed feed = ParseOk(format, ReadTestdata("taxii_envelope.json"));
    EXPECT_THAT(Values(feed), ElementsAre("taxii.example", "192.0.2.77"));
    EXPECT_EQ(feed.entries[0].confidence, 70);
  }
}

TEST(StixParserTest, EmptyEnvelopeOnlyForTaxii) {
  ParsedFeed feed;
  auto taxii = MakeParser(FeedFormat::kTaxii, {});
  ASSERT_TRUE(taxii);
  EXPECT_TRUE((*taxii)->Parse("{}", "page1", feed));
  EXPECT_TRUE((*taxii)->Parse(R"({"more": false})", "page2", feed));
  EXPECT_TRUE(feed.entries.empty());

  auto stix = MakeParser(FeedFormat::kStix, {});
  ASSERT_TRUE(stix);
  auto status = (*stix)->Parse("{}", "bundle.json", feed);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().context, "bundle.json");
  // A bundle without objects is not an envelope, even for TAXII.
  EXPECT_FALSE((*taxii)->Parse(ReadTestdata("stix_no_objects.json"), "x", feed));
}

TEST(StixParserTest, DocumentErrors) {
  auto parser = MakeParser(FeedFormat::kStix, {});
  ASSERT_TRUE(parser);
  ParsedFeed feed;
  auto truncated = (*parser)->Parse(ReadTestdata("stix_malformed.json"), "feeds/x.json", feed);
  ASSERT_FALSE(truncated);
  EXPECT_EQ(truncated.error().code, ErrorCode::kCorrupt);
  EXPECT_EQ(truncated.error().context, "feeds/x.json");
  EXPECT_THAT(truncated.error().message, HasSubstr("not valid JSON"));

  auto no_objects = (*parser)->Parse(ReadTestdata("stix_no_objects.json"), "feeds/y.json", feed);
  ASSERT_FALSE(no_objects);
  EXPECT_THAT(no_objects.error().message, HasSubstr("objects"));
  EXPECT_FALSE((*parser)->Parse("[1, 2]", "z", feed));
  EXPECT_FALSE((*parser)->Parse("", "empty", feed));
}

TEST(StixParserTest, ObjectsThatAreNotObjectsAndStix20Labels) {
  ParsedFeed feed = ParseOk(FeedFormat::kStix, R"({"type":"bundle","objects":[
      42,
      {"type":"indicator","labels":["malicious-activity"],
       "pattern":"[domain-name:value = 'v20.example']"},
      {"type":"indicator","pattern_type":"stix"},
      {"type":"indicator","pattern":"[domain-name:value = 'conf.example']","confidence":"high"}
    ]})");
  EXPECT_THAT(Values(feed), ElementsAre("v20.example", "conf.example"));
  EXPECT_EQ(feed.entries[0].category, "malware");
  EXPECT_EQ(feed.entries[1].confidence, -1);
  EXPECT_EQ(feed.report.invalid, 2u);
  EXPECT_THAT(ErrorLines(feed.report), ElementsAre(1, 3));
}

TEST(StixParserTest, ForcedTypeSkipsOtherTypes) {
  ParserOptions options;
  options.indicator_type = IndicatorType::kIpv4;
  ParsedFeed feed = ParseOk(FeedFormat::kStix, ReadTestdata("taxii_envelope.json"), options);
  EXPECT_THAT(Values(feed), ElementsAre("192.0.2.77"));
  EXPECT_EQ(feed.report.invalid, 0u);
  EXPECT_EQ(feed.report.lines_skipped, 1u);
}

}  // namespace
}  // namespace mamori::feeds::parsers
