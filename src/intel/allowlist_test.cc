#include "intel/allowlist.h"

#include <gtest/gtest.h>

namespace mamori::intel {
namespace {

store::AllowlistEntry Entry(std::string kind, std::string value, UnixSeconds expires = 0) {
  store::AllowlistEntry e;
  e.kind = std::move(kind);
  e.value = std::move(value);
  e.reason = "test";
  e.expires_at = expires;
  return e;
}

Indicator I(IndicatorType type, std::string value) { return Indicator{type, std::move(value)}; }

TEST(AllowlistMatcherTest, ExactValuesMatchOnlyThemselves) {
  auto m = AllowlistMatcher::Build({Entry("value", "198.51.100.7")}, 0);
  EXPECT_TRUE(m.Match(I(IndicatorType::kIpv4, "198.51.100.7")));
  EXPECT_FALSE(m.Match(I(IndicatorType::kIpv4, "198.51.100.8")));
}

TEST(AllowlistMatcherTest, SuffixesCoverTheDomainItsSubdomainsAndTheirUrls) {
  auto m = AllowlistMatcher::Build({Entry("suffix", "example.com")}, 0);
  EXPECT_TRUE(m.Match(I(IndicatorType::kDomain, "example.com")));
  EXPECT_TRUE(m.Match(I(IndicatorType::kDomain, "a.b.example.com")));
  EXPECT_TRUE(m.Match(I(IndicatorType::kUrl, "https://user@www.example.com:8443/x?y")));
  EXPECT_FALSE(m.Match(I(IndicatorType::kDomain, "badexample.com")));
  EXPECT_FALSE(m.Match(I(IndicatorType::kDomain, "example.com.evil.net")));
}

TEST(AllowlistMatcherTest, CidrsCoverAddressesNetworksInsideAndNetworksAround) {
  auto m =
      AllowlistMatcher::Build({Entry("cidr", "10.0.0.0/8"), Entry("cidr", "2001:db8::/32")}, 0);
  EXPECT_TRUE(m.Match(I(IndicatorType::kIpv4, "10.200.3.4")));
  EXPECT_FALSE(m.Match(I(IndicatorType::kIpv4, "11.0.0.1")));
  EXPECT_TRUE(m.Match(I(IndicatorType::kCidr, "10.1.0.0/16")));
  // A network containing an allowlisted one must not be blocked whole either.
  EXPECT_TRUE(m.Match(I(IndicatorType::kCidr, "0.0.0.0/4")));
  EXPECT_FALSE(m.Match(I(IndicatorType::kCidr, "192.168.0.0/16")));
  EXPECT_TRUE(m.Match(I(IndicatorType::kIpv6, "2001:db8::1")));
  EXPECT_TRUE(m.Match(I(IndicatorType::kUrl, "http://10.1.2.3/payload")));
  EXPECT_TRUE(m.Match(I(IndicatorType::kUrl, "http://[2001:db8::5]:8080/")));
}

TEST(AllowlistMatcherTest, ExpiredEntriesAreIgnored) {
  auto m = AllowlistMatcher::Build(
      {Entry("value", "gone.example", 100), Entry("value", "kept.example", 1000)}, 500);
  EXPECT_FALSE(m.Match(I(IndicatorType::kDomain, "gone.example")));
  EXPECT_TRUE(m.Match(I(IndicatorType::kDomain, "kept.example")));
  EXPECT_EQ(m.size(), 1u);
}

TEST(AllowlistMatcherTest, HashesMatchOnlyExactValues) {
  auto m = AllowlistMatcher::Build({Entry("value", "D41D8CD98F00B204E9800998ECF8427E")}, 0);
  EXPECT_TRUE(m.Match(I(IndicatorType::kMd5, "d41d8cd98f00b204e9800998ecf8427e")));
}

}  // namespace
}  // namespace mamori::intel
