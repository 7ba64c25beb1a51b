#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "feeds/parser.h"
#include "rse/blocklist/exporters/exporter.h"
#include "rse/blocklist/exporters/internal/formats.h"
#include "rse/blocklist/exporters/internal/test_util.h"

namespace mamori::rse::blocklist::exporters {
namespace {

using testing::AllClassesProfile;
using testing::Entry;
using testing::Fixture;
using ::testing::HasSubstr;

TEST(StixExportTest, UuidV5MatchesRfcExample) {
  // RFC 9562 / Python: uuid5(NAMESPACE_DNS, "python.org").
  constexpr std::array<uint8_t, 16> kDns = {0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1,
                                            0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
  EXPECT_EQ(UuidV5(kDns, "python.org"), "886313e1-3b8a-5372-9b90-0c9aee199e5d");
}

// Our own STIX parser (the one feeds use) reads the bundle back to exactly the indicators of
// the list, with categories and confidences carried over.
TEST(StixExportTest, OwnParserReadsBackTheSameIndicators) {
  Blocklist list = Fixture();
  auto r = Render(list, AllClassesProfile(DeviceKind::kStix));
  ASSERT_TRUE(r);
  auto parser = feeds::MakeParser(feeds::FeedFormat::kStix, feeds::ParserOptions{});
  ASSERT_TRUE(parser);
  feeds::ParsedFeed parsed;
  auto status = (*parser)->Parse(r->content, "export.json", parsed);
  ASSERT_TRUE(status) << status.error().ToString();
  EXPECT_EQ(parsed.report.invalid, 0u);
  EXPECT_EQ(parsed.report.unsupported, 0u);
  ASSERT_EQ(parsed.entries.size(), list.entries.size());
  for (size_t i = 0; i < list.entries.size(); ++i) {
    EXPECT_EQ(parsed.entries[i].indicator, list.entries[i].indicator) << i;
    int want = std::min(100, static_cast<int>(std::lround(list.entries[i].priority)));
    EXPECT_EQ(parsed.entries[i].confidence, want) << i;
  }
  EXPECT_EQ(parsed.entries[0].category, "malware");  // c2 -> malicious-activity -> malware
}

TEST(StixExportTest, BundleShape) {
  auto r = Render(Fixture(), AllClassesProfile(DeviceKind::kStix));
  ASSERT_TRUE(r);
  auto bundle = nlohmann::json::parse(r->content);
  EXPECT_EQ(bundle["type"], "bundle");
  EXPECT_TRUE(bundle["id"].get<std::string>().starts_with("bundle--"));
  std::set<std::string> ids;
  for (const auto& o : bundle["objects"]) {
    EXPECT_EQ(o["type"], "indicator");
    EXPECT_EQ(o["spec_version"], "2.1");
    EXPECT_EQ(o["pattern_type"], "stix");
    EXPECT_EQ(o["created"], "2023-11-14T22:13:20.000Z");
    EXPECT_EQ(o["valid_from"], "2023-11-14T22:13:20.000Z");
    std::string id = o["id"];
    ASSERT_EQ(id.size(), std::string("indicator--").size() + 36) << id;
    EXPECT_EQ(id[11 + 14], '5') << id;  // version 5
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), bundle["objects"].size());
  EXPECT_THAT(r->content,
              HasSubstr(R"([url:value = 'http://evil.example/login.php?id=1,2&n=\\'x\"y\\''])"));
  EXPECT_THAT(r->content, HasSubstr(R"([file:hashes.'SHA-256' = 'e3b0c44298fc)"));
  EXPECT_THAT(r->content, HasSubstr(R"([ipv6-addr:value = '2001:db8:0:0:1::/80'])"));
}

TEST(StixExportTest, IdsDependOnIndicatorOnly) {
  Blocklist a = Fixture();
  Blocklist b = Fixture();
  b.built_at += 3600;
  b.entries[0].priority = 1;
  auto ra = Render(a, AllClassesProfile(DeviceKind::kStix));
  auto rb = Render(b, AllClassesProfile(DeviceKind::kStix));
  ASSERT_TRUE(ra && rb);
  auto ja = nlohmann::json::parse(ra->content);
  auto jb = nlohmann::json::parse(rb->content);
  for (size_t i = 0; i < ja["objects"].size(); ++i) {
    EXPECT_EQ(ja["objects"][i]["id"], jb["objects"][i]["id"]);
  }
  EXPECT_NE(ja["id"], jb["id"]);  // the bundle is a different build
}

TEST(StixExportTest, SkipsValuesThatAreNotUtf8) {
  Blocklist list{"p",
                 1,
                 {Entry(IndicatorType::kUrl, "http://a.example/\xff\xfe", 50, "", {}),
                  Entry(IndicatorType::kUrl, "http://a.example/caf\xc3\xa9", 50, "", {})}};
  auto r = Render(list, AllClassesProfile(DeviceKind::kStix));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->written, 1);
  EXPECT_EQ(r->skipped, 1);
}

TEST(StixExportTest, ConfidenceIsClamped) {
  Blocklist list{"p",
                 1,
                 {Entry(IndicatorType::kCidr, "10.0.0.0/8", 250.0, "", {}, 5),
                  Entry(IndicatorType::kIpv4, "10.0.0.1", -3, "", {})}};
  auto r = Render(list, AllClassesProfile(DeviceKind::kStix));
  ASSERT_TRUE(r);
  auto j = nlohmann::json::parse(r->content);
  EXPECT_EQ(j["objects"][0]["confidence"], 100);
  EXPECT_EQ(j["objects"][1]["confidence"], 0);
  EXPECT_EQ(j["objects"][0]["indicator_types"][0], "malicious-activity");
  EXPECT_FALSE(j["objects"][0].contains("labels"));
}

}  // namespace
}  // namespace mamori::rse::blocklist::exporters
