#include "rse/blocklist/exporters/exporter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "core/atomic_file.h"
#include "rse/blocklist/exporters/internal/formats.h"
#include "rse/blocklist/exporters/internal/test_util.h"

namespace mamori::rse::blocklist::exporters {
namespace {

using testing::AllClassesProfile;
using testing::Entry;
using testing::Fixture;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr DeviceKind kAllKinds[] = {
    DeviceKind::kPaloAltoEdl, DeviceKind::kFortigateFeed, DeviceKind::kNftables, DeviceKind::kIpset,
    DeviceKind::kPf,          DeviceKind::kUnboundRpz,    DeviceKind::kBindRpz,  DeviceKind::kHosts,
    DeviceKind::kCsv,         DeviceKind::kStix};

RenderResult RenderOk(const Blocklist& list, const DeviceProfile& profile) {
  auto r = Render(list, profile);
  if (!r) {
    ADD_FAILURE() << r.error().ToString();
    return {};
  }
  return *r;
}

// Golden files: tests/golden/exporters/<kind>.golden hold the expected rendering of Fixture()
// for each kind. After an intended format change, regenerate them with
//   MAMORI_UPDATE_GOLDEN=1 build/src/rse_tests --gtest_filter='*ExporterGoldenTest*'
// and review the diff (git diff tests/golden/) before committing.
class ExporterGoldenTest : public ::testing::TestWithParam<DeviceKind> {};

TEST_P(ExporterGoldenTest, MatchesGoldenFile) {
  DeviceKind kind = GetParam();
  std::filesystem::path golden = std::filesystem::path(testing::SourceDir()) / "tests" / "golden" /
                                 "exporters" / (std::string(DeviceKindName(kind)) + ".golden");
  RenderResult r = RenderOk(Fixture(), AllClassesProfile(kind));
  const char* update = std::getenv("MAMORI_UPDATE_GOLDEN");
  if (update != nullptr && std::string_view(update) == "1") {
    auto status = WriteFileAtomically(golden, r.content);
    ASSERT_TRUE(status) << status.error().ToString();
    GTEST_SKIP() << "rewrote " << golden;
  }
  ASSERT_TRUE(std::filesystem::exists(golden))
      << golden << " is missing; run with MAMORI_UPDATE_GOLDEN=1 to create it";
  EXPECT_EQ(r.content, testing::ReadFile(golden))
      << "rendering differs from " << golden
      << "; if the change is intended, rerun with MAMORI_UPDATE_GOLDEN=1 and review the diff";
}

INSTANTIATE_TEST_SUITE_P(AllKinds, ExporterGoldenTest, ::testing::ValuesIn(kAllKinds),
                         [](const auto& info) {
                           std::string name(DeviceKindName(info.param));
                           for (char& c : name) {
                             if (c == '-') c = '_';
                           }
                           return name;
                         });

TEST(ExporterTest, RenderIsDeterministic) {
  for (DeviceKind kind : kAllKinds) {
    EXPECT_EQ(RenderOk(Fixture(), AllClassesProfile(kind)).content,
              RenderOk(Fixture(), AllClassesProfile(kind)).content)
        << DeviceKindName(kind);
  }
}

TEST(ExporterTest, WrittenAndSkippedPerKind) {
  // Fixture: 5 addresses/CIDRs (IPv4 x3, IPv6, 2 CIDRs = 6 IP entries), 3 domains, 1 URL,
  // 2 hashes: 12 entries.
  struct Want {
    DeviceKind kind;
    int64_t written, skipped;
  };
  for (Want w : {Want{DeviceKind::kPaloAltoEdl, 10, 2}, Want{DeviceKind::kFortigateFeed, 12, 0},
                 Want{DeviceKind::kNftables, 6, 6}, Want{DeviceKind::kIpset, 6, 6},
                 Want{DeviceKind::kPf, 6, 6}, Want{DeviceKind::kUnboundRpz, 9, 3},
                 Want{DeviceKind::kBindRpz, 9, 3}, Want{DeviceKind::kHosts, 3, 9},
                 Want{DeviceKind::kCsv, 12, 0}, Want{DeviceKind::kStix, 12, 0}}) {
    RenderResult r = RenderOk(Fixture(), AllClassesProfile(w.kind));
    EXPECT_EQ(r.written, w.written) << DeviceKindName(w.kind);
    EXPECT_EQ(r.skipped, w.skipped) << DeviceKindName(w.kind);
  }
}

TEST(ExporterTest, EmptyListRendersValidEmptyFiles) {
  Blocklist empty{"golden", 1700000000, {}};
  for (DeviceKind kind : kAllKinds) {
    RenderResult r = RenderOk(empty, AllClassesProfile(kind));
    EXPECT_EQ(r.written, 0);
    EXPECT_EQ(r.skipped, 0);
  }
  EXPECT_EQ(RenderOk(empty, AllClassesProfile(DeviceKind::kPaloAltoEdl)).content, "");
  EXPECT_EQ(RenderOk(empty, AllClassesProfile(DeviceKind::kCsv)).content,
            "indicator,type,priority,category,sources,covered\r\n");
}

TEST(ExporterTest, ClassWithoutCapacityIsSkipped) {
  DeviceProfile p = AllClassesProfile(DeviceKind::kPaloAltoEdl);
  p.capacity = {.ip = 0, .domain = 100, .url = 0, .hash = 0, .total = 0};
  RenderResult r = RenderOk(Fixture(), p);
  EXPECT_EQ(r.content, "c2.bad.example\nevil.example\n*.evil.example\nxn--bcher-kva.example\n");
  EXPECT_EQ(r.written, 3);
  EXPECT_EQ(r.skipped, 9);
}

TEST(ExporterTest, CidrsSkippedWhenDeviceTakesNone) {
  DeviceProfile p = AllClassesProfile(DeviceKind::kPf);
  p.cidr = CidrPolicy::kUnsupported;
  RenderResult r = RenderOk(Fixture(), p);
  EXPECT_THAT(r.content, Not(HasSubstr("/")));
  EXPECT_THAT(r.content, HasSubstr("\n198.51.100.77\n"));
  EXPECT_EQ(r.written, 4);
}

TEST(ExporterTest, PaloAltoWritesUrlsWithoutSchemeAndWildcards) {
  RenderResult r = RenderOk(Fixture(), AllClassesProfile(DeviceKind::kPaloAltoEdl));
  EXPECT_THAT(r.content, HasSubstr("\nevil.example\n*.evil.example\n"));
  EXPECT_THAT(r.content, HasSubstr("\nevil.example/login.php?id=1,2&n='x\"y'\n"));
  EXPECT_THAT(r.content, Not(HasSubstr("://")));
  EXPECT_THAT(r.content, Not(HasSubstr("#")));
  EXPECT_THAT(r.content, Not(HasSubstr("e3b0c442")));
}

TEST(ExporterTest, LineFormatsSkipValuesThatWouldBreakLines) {
  Blocklist list{"p",
                 1700000000,
                 {Entry(IndicatorType::kUrl, "http://a.example/x\n1.2.3.4", 50, "", {}),
                  Entry(IndicatorType::kUrl, "http://a.example/x y", 50, "", {}),
                  Entry(IndicatorType::kUrl, "http://a.example/ok", 50, "", {})}};
  for (DeviceKind kind : {DeviceKind::kPaloAltoEdl, DeviceKind::kFortigateFeed}) {
    RenderResult r = RenderOk(list, AllClassesProfile(kind));
    EXPECT_EQ(r.written, 1) << DeviceKindName(kind);
    EXPECT_EQ(r.skipped, 2) << DeviceKindName(kind);
    EXPECT_THAT(r.content, Not(HasSubstr("1.2.3.4")));
  }
}

TEST(ExporterTest, FortigateKeepsSchemeAndWritesHashes) {
  RenderResult r = RenderOk(Fixture(), AllClassesProfile(DeviceKind::kFortigateFeed));
  EXPECT_THAT(r.content, HasSubstr("\nhttp://evil.example/login.php"));
  EXPECT_THAT(r.content,
              HasSubstr("\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"));
  EXPECT_THAT(r.content, HasSubstr("\n*.evil.example\n"));
}

TEST(ExporterTest, HostsWritesNamesOnlyWithHeader) {
  RenderResult r = RenderOk(Fixture(), AllClassesProfile(DeviceKind::kHosts));
  EXPECT_EQ(r.content,
            "# mamori blocklist for profile golden, built 2023-11-14T22:13:20Z, 3 names\n"
            "0.0.0.0 c2.bad.example\n"
            "0.0.0.0 evil.example\n"
            "0.0.0.0 xn--bcher-kva.example\n");
}

TEST(ExporterTest, HostsAndRpzSkipNamesIllegalInTheirFiles) {
  Blocklist list{"p",
                 1700000000,
                 {Entry(IndicatorType::kDomain, "bad;name.example", 50, "", {}),
                  Entry(IndicatorType::kDomain, "Upper.example", 50, "", {}),
                  Entry(IndicatorType::kDomain, "a..example", 50, "", {}),
                  Entry(IndicatorType::kDomain, "_dmarc.ok.example", 50, "", {})}};
  for (DeviceKind kind : {DeviceKind::kHosts, DeviceKind::kBindRpz}) {
    RenderResult r = RenderOk(list, AllClassesProfile(kind));
    EXPECT_EQ(r.written, 1) << DeviceKindName(kind);
    EXPECT_EQ(r.skipped, 3) << DeviceKindName(kind);
    EXPECT_THAT(r.content, Not(HasSubstr("bad;name")));
  }
}

TEST(ExporterTest, CsvQuotesPerRfc4180) {
  RenderResult r = RenderOk(Fixture(), AllClassesProfile(DeviceKind::kCsv));
  EXPECT_THAT(r.content, HasSubstr("\r\n\"http://evil.example/login.php?id=1,2&n='x\"\"y'\",url,"
                                   "75.00,phishing,openphish,1\r\n"));
  EXPECT_THAT(r.content,
              HasSubstr("\r\n198.51.100.0/24,cidr,180.25,scanner,blocklist-de;dshield,3\r\n"));
  EXPECT_THAT(r.content, HasSubstr("\r\n203.0.113.9,ipv4,55.12,bruteforce,blocklist-de,1\r\n"));
}

TEST(ExporterTest, ContentTypes) {
  EXPECT_EQ(ContentTypeFor(DeviceKind::kStix), "application/json");
  EXPECT_EQ(ContentTypeFor(DeviceKind::kCsv), "text/csv; charset=utf-8");
  for (DeviceKind kind : {DeviceKind::kPaloAltoEdl, DeviceKind::kFortigateFeed,
                          DeviceKind::kNftables, DeviceKind::kIpset, DeviceKind::kPf,
                          DeviceKind::kUnboundRpz, DeviceKind::kBindRpz, DeviceKind::kHosts}) {
    EXPECT_EQ(ContentTypeFor(kind), "text/plain; charset=utf-8") << DeviceKindName(kind);
  }
}

TEST(ExporterTest, HeaderNeverSpansLines) {
  DeviceProfile p = AllClassesProfile(DeviceKind::kHosts);
  p.name = "x\n0.0.0.0 injected.example";
  RenderResult r = RenderOk(Fixture(), p);
  EXPECT_THAT(r.content, Not(HasSubstr("injected")));
}

}  // namespace
}  // namespace mamori::rse::blocklist::exporters
