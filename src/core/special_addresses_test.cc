#include "core/special_addresses.h"

#include <gtest/gtest.h>

namespace mamori {
namespace {

bool Special(std::string_view text) { return IsSpecialPurpose(*IpAddress::Parse(text)); }
bool Doc(std::string_view text) { return IsDocumentation(*IpAddress::Parse(text)); }

TEST(SpecialAddressesTest, PrivateLoopbackAndFriendsAreSpecial) {
  for (auto a : {"10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "127.0.0.1",
                 "169.254.1.1", "100.64.0.1", "0.0.0.0", "224.0.0.251", "255.255.255.255",
                 "::1", "::", "fe80::1", "fd00::1", "ff02::1", "::ffff:10.0.0.1"}) {
    EXPECT_TRUE(Special(a)) << a;
  }
}

TEST(SpecialAddressesTest, PublicAndDocumentationAddressesAreNot) {
  for (auto a : {"8.8.8.8", "172.32.0.1", "100.128.0.1", "1.1.1.1", "2606:4700::1111",
                 "192.0.2.1", "198.51.100.7", "203.0.113.9", "2001:db8::1"}) {
    EXPECT_FALSE(Special(a)) << a;
  }
  EXPECT_TRUE(Doc("203.0.113.9"));
  EXPECT_TRUE(Doc("2001:db8::1"));
  EXPECT_FALSE(Doc("8.8.8.8"));
}

}  // namespace
}  // namespace mamori
