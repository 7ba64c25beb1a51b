#include "rse/blocklist/internal/previous_keys.h"

#include <gtest/gtest.h>

#include "core/ip.h"

namespace mamori::rse::blocklist::internal {
namespace {

AddressValue V4(const char* text) { return ToAddressValue(IpAddress::Parse(text).value()); }

TEST(PreviousKeysTest, NamesMatchTheirTypeAndText) {
  std::unordered_set<std::string> previous = {"domain:evil.example", "sha256:abc"};
  PreviousKeys keys(previous);
  EXPECT_TRUE(keys.Contains("domain", "evil.example"));
  EXPECT_TRUE(keys.Contains("sha256", "abc"));
  EXPECT_FALSE(keys.Contains("domain", "a.evil.example"));
  EXPECT_FALSE(keys.Contains("url", "evil.example"));
  EXPECT_FALSE(keys.Contains("domain:evil", "example"));
  EXPECT_FALSE(PreviousKeys({}).Contains("domain", "evil.example"));
}

TEST(PreviousKeysTest, PrefixesMatchOnlyKeysSpelledAsTheirEntriesAre) {
  std::unordered_set<std::string> previous = {"ipv4:192.0.2.1",      "cidr:198.51.100.0/24",
                                              "cidr:203.0.113.7/32", "ipv4:198.51.100.0/25",
                                              "ipv6:2001:db8::1",    "cidr:2001:db8:1::/48"};
  PreviousKeys keys(previous);
  EXPECT_TRUE(keys.ContainsPrefix(V4("192.0.2.1"), 32, 32));
  EXPECT_TRUE(keys.ContainsPrefix(V4("198.51.100.0"), 24, 32));
  EXPECT_FALSE(keys.ContainsPrefix(V4("198.51.100.0"), 25, 32));  // "ipv4:" is for hosts only
  EXPECT_FALSE(keys.ContainsPrefix(V4("203.0.113.7"), 32, 32));   // a host's key is "ipv4:"
  EXPECT_FALSE(keys.ContainsPrefix(V4("192.0.2.1"), 32, 128));
  EXPECT_TRUE(
      keys.ContainsPrefix(ToAddressValue(IpAddress::Parse("2001:db8::1").value()), 128, 128));
  EXPECT_TRUE(
      keys.ContainsPrefix(ToAddressValue(IpAddress::Parse("2001:db8:1::").value()), 48, 128));
}

}  // namespace
}  // namespace mamori::rse::blocklist::internal
