#include "core/ip.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace mamori {
namespace {

IpAddress Ip(std::string_view text) {
  auto ip = IpAddress::Parse(text);
  EXPECT_TRUE(ip.has_value()) << text;
  return ip.value_or(IpAddress());
}

Cidr Net(std::string_view text) {
  auto parsed = Cidr::Parse(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed ? parsed->cidr : Cidr();
}

TEST(IpAddressTest, ParsesIpv4) {
  auto ip = IpAddress::Parse("192.0.2.1");
  ASSERT_TRUE(ip.has_value());
  EXPECT_TRUE(ip->is_v4());
  EXPECT_EQ(ip->family(), IpFamily::kV4);
  EXPECT_EQ(ip->bit_length(), 32);
  EXPECT_EQ(ip->v4(), 0xC0000201u);
  EXPECT_EQ(ip->ToString(), "192.0.2.1");
  EXPECT_EQ(Ip("0.0.0.0").v4(), 0u);
  EXPECT_EQ(Ip("255.255.255.255").v4(), 0xFFFFFFFFu);
  EXPECT_EQ(Ip("10.0.0.0").ToString(), "10.0.0.0");
}

TEST(IpAddressTest, RejectsMalformedIpv4) {
  for (std::string_view bad :
       {"1.2.3", "256.1.1.1", "1.2.3.256", "01.2.3.4", "1.2.3.04", "1.2.3.4.5", "1.2.3.", ".1.2.3",
        "1..2.3", "1.2.3.4 ", " 1.2.3.4", "1.2.3.-4", "1.2.3.4/32", "0x1.2.3.4", "1234.1.1.1",
        "a.b.c.d", "", "1", "1.2.3.4a"}) {
    auto ip = IpAddress::Parse(bad);
    EXPECT_FALSE(ip.has_value()) << "'" << bad << "' parsed as " << ip->ToString();
    if (!ip) {
      EXPECT_EQ(ip.error().code, ErrorCode::kInvalidArgument);
      EXPECT_EQ(ip.error().context, std::string(bad));
    }
  }
}

TEST(IpAddressTest, ParsesIpv6Forms) {
  auto ip = IpAddress::Parse("2001:db8::1");
  ASSERT_TRUE(ip.has_value());
  EXPECT_FALSE(ip->is_v4());
  EXPECT_EQ(ip->family(), IpFamily::kV6);
  EXPECT_EQ(ip->bit_length(), 128);
  EXPECT_EQ(ip->bytes()[0], 0x20);
  EXPECT_EQ(ip->bytes()[1], 0x01);
  EXPECT_EQ(ip->bytes()[2], 0x0d);
  EXPECT_EQ(ip->bytes()[3], 0xb8);
  EXPECT_EQ(ip->bytes()[15], 0x01);

  EXPECT_EQ(Ip("::").ToString(), "::");
  EXPECT_EQ(Ip("::1").ToString(), "::1");
  EXPECT_EQ(Ip("fe80::").ToString(), "fe80::");
  EXPECT_EQ(Ip("2001:0DB8:0000:0000:0000:0000:0000:0001").ToString(), "2001:db8::1");
  EXPECT_EQ(Ip("2001:DB8::A").ToString(), "2001:db8::a");
  // IPv4-mapped stays IPv6, in the mixed notation RFC 5952 section 5 recommends.
  auto mapped = Ip("::ffff:1.2.3.4");
  EXPECT_FALSE(mapped.is_v4());
  EXPECT_EQ(mapped.ToString(), "::ffff:1.2.3.4");
  EXPECT_EQ(Ip("::ffff:0102:0304").ToString(), "::ffff:1.2.3.4");
  // Longest address text is accepted.
  EXPECT_EQ(Ip("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255").ToString(),
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
}

TEST(IpAddressTest, ToStringIsRfc5952) {
  // Longest run of zero groups is compressed; the first one on a tie.
  EXPECT_EQ(Ip("2001:db8:0:0:1:0:0:1").ToString(), "2001:db8::1:0:0:1");
  EXPECT_EQ(Ip("1:0:0:1:0:0:0:1").ToString(), "1:0:0:1::1");
  // A single zero group is not compressed.
  EXPECT_EQ(Ip("2001:db8:0:1:1:1:1:1").ToString(), "2001:db8:0:1:1:1:1:1");
  // Leading zeros dropped, lower case.
  EXPECT_EQ(Ip("2001:0DB8:00AB:0000:0000:0000:0000:0010").ToString(), "2001:db8:ab::10");
  EXPECT_EQ(Ip("0:0:0:0:0:1:0:0").ToString(), "::1:0:0");
  // Not the deprecated IPv4-compatible form "::0.1.0.2" that glibc's inet_ntop prints.
  EXPECT_EQ(Ip("::1:2").ToString(), "::1:2");
  EXPECT_EQ(Ip("::102:304").ToString(), "::102:304");
  EXPECT_EQ(Ip("::ffff:0:102:304").ToString(), "::ffff:0:102:304");
}

TEST(IpAddressTest, RejectsMalformedIpv6) {
  for (std::string_view bad :
       {":::", "1:2:3:4:5:6:7:8:9", "2001:db8::1::2", "2001:db8::g", "fe80::1%eth0", "fe80::1%1",
        "[::1]", "::1/128", "12345::", ":", "1:2:3:4:5:6:7", "::1 "}) {
    auto ip = IpAddress::Parse(bad);
    EXPECT_FALSE(ip.has_value()) << "'" << bad << "' parsed as " << ip->ToString();
  }
  // Longer than any address text.
  EXPECT_FALSE(IpAddress::Parse(std::string(100, ':')).has_value());
  // An embedded NUL must not cut the text short ("::1" followed by junk).
  EXPECT_FALSE(IpAddress::Parse(std::string_view("::1\0junk", 8)).has_value());
}

TEST(IpAddressTest, FromV4AndFromV6) {
  EXPECT_EQ(IpAddress::FromV4(0x0A000001).ToString(), "10.0.0.1");
  std::array<uint8_t, 16> bytes{};
  bytes[15] = 1;
  EXPECT_EQ(IpAddress::FromV6(bytes).ToString(), "::1");
  EXPECT_EQ(IpAddress::FromV6(bytes), Ip("::1"));
}

TEST(IpAddressTest, OrderingIpv4FirstThenBytes) {
  std::vector<IpAddress> ips = {Ip("::1"),           Ip("10.0.0.2"),  Ip("2001:db8::"),
                                Ip("9.255.255.255"), Ip("10.0.0.10"), Ip("::")};
  std::sort(ips.begin(), ips.end());
  std::vector<std::string> texts;
  for (const auto& ip : ips) texts.push_back(ip.ToString());
  EXPECT_EQ(texts, (std::vector<std::string>{"9.255.255.255", "10.0.0.2", "10.0.0.10", "::", "::1",
                                             "2001:db8::"}));
  // 0.0.0.0 and :: have equal bytes but differ by family.
  EXPECT_NE(Ip("0.0.0.0"), Ip("::"));
  EXPECT_LT(Ip("255.255.255.255"), Ip("::"));
  EXPECT_EQ(Ip("10.0.0.1"), Ip("10.0.0.1"));
}

TEST(IpAddressTest, MaskedAndHostBits) {
  EXPECT_EQ(Ip("10.1.2.3").Masked(8).ToString(), "10.0.0.0");
  EXPECT_EQ(Ip("10.1.2.3").Masked(20).ToString(), "10.1.0.0");
  EXPECT_EQ(Ip("10.1.255.3").Masked(20).ToString(), "10.1.240.0");
  EXPECT_EQ(Ip("10.1.2.3").Masked(0).ToString(), "0.0.0.0");
  EXPECT_EQ(Ip("10.1.2.3").Masked(32).ToString(), "10.1.2.3");
  EXPECT_EQ(Ip("2001:db8:ffff::1").Masked(33).ToString(), "2001:db8:8000::");
  EXPECT_TRUE(Ip("10.1.2.3").HasHostBits(8));
  EXPECT_FALSE(Ip("10.0.0.0").HasHostBits(8));
  EXPECT_FALSE(Ip("10.1.2.3").HasHostBits(32));
}

TEST(CidrTest, ParsesAndNormalizesHostBits) {
  auto clean = Cidr::Parse("10.0.0.0/8");
  ASSERT_TRUE(clean.has_value());
  EXPECT_EQ(clean->cidr.ToString(), "10.0.0.0/8");
  EXPECT_EQ(clean->cidr.prefix(), 8);
  EXPECT_FALSE(clean->host_bits_cleared);
  EXPECT_FALSE(clean->cidr.is_host());

  auto dirty = Cidr::Parse("10.1.2.3/8");
  ASSERT_TRUE(dirty.has_value());
  EXPECT_EQ(dirty->cidr.ToString(), "10.0.0.0/8");
  EXPECT_TRUE(dirty->host_bits_cleared);
  EXPECT_EQ(dirty->cidr, clean->cidr);

  auto v6 = Cidr::Parse("2001:DB8::1/32");
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->cidr.ToString(), "2001:db8::/32");
  EXPECT_TRUE(v6->host_bits_cleared);
}

TEST(CidrTest, EdgePrefixes) {
  auto all_v4 = Cidr::Parse("1.2.3.4/0");
  ASSERT_TRUE(all_v4.has_value());
  EXPECT_EQ(all_v4->cidr.ToString(), "0.0.0.0/0");
  EXPECT_TRUE(all_v4->host_bits_cleared);

  auto host = Cidr::Parse("1.2.3.4/32");
  ASSERT_TRUE(host.has_value());
  EXPECT_EQ(host->cidr.ToString(), "1.2.3.4/32");
  EXPECT_TRUE(host->cidr.is_host());
  EXPECT_FALSE(host->host_bits_cleared);

  auto host6 = Cidr::Parse("::1/128");
  ASSERT_TRUE(host6.has_value());
  EXPECT_EQ(host6->cidr.ToString(), "::1/128");
  EXPECT_TRUE(host6->cidr.is_host());

  EXPECT_EQ(Net("::/0").ToString(), "::/0");
  // A bare address is a host prefix.
  EXPECT_EQ(Net("192.0.2.7").ToString(), "192.0.2.7/32");
  EXPECT_EQ(Net("2001:db8::7").ToString(), "2001:db8::7/128");
}

TEST(CidrTest, RejectsBadPrefixes) {
  for (std::string_view bad :
       {"1.2.3.4/33", "::/129", "1.2.3.4/", "1.2.3.4/-1", "1.2.3.4/-0", "1.2.3.4/+8", "1.2.3.4/8x",
        "1.2.3.4/ 8", "1.2.3.4/8/9", "1.2.3/8", "example.com/8", "/8", ""}) {
    auto cidr = Cidr::Parse(bad);
    EXPECT_FALSE(cidr.has_value()) << "'" << bad << "' parsed as " << cidr->cidr.ToString();
    if (!cidr) {
      EXPECT_EQ(cidr.error().code, ErrorCode::kInvalidArgument);
    }
  }
  auto too_long = Cidr::Parse("1.2.3.4/33");
  ASSERT_FALSE(too_long.has_value());
  EXPECT_EQ(too_long.error().message, "prefix length must be 0..32");
  EXPECT_EQ(too_long.error().context, "1.2.3.4/33");
  EXPECT_EQ(Cidr::Parse("::/129").error().message, "prefix length must be 0..128");
}

TEST(CidrTest, ContainsAddress) {
  Cidr net = Net("10.0.0.0/8");
  EXPECT_TRUE(net.Contains(Ip("10.0.0.0")));
  EXPECT_TRUE(net.Contains(Ip("10.255.255.255")));
  EXPECT_FALSE(net.Contains(Ip("11.0.0.0")));
  EXPECT_FALSE(net.Contains(Ip("9.255.255.255")));
  // Never across families, even where the bytes would match.
  EXPECT_FALSE(Net("0.0.0.0/0").Contains(Ip("::1")));
  EXPECT_FALSE(Net("::/0").Contains(Ip("1.2.3.4")));
  EXPECT_FALSE(Net("::/0").Contains(Ip("0.0.0.0")));
  EXPECT_TRUE(Net("0.0.0.0/0").Contains(Ip("255.255.255.255")));
  EXPECT_TRUE(Net("2001:db8::/32").Contains(Ip("2001:db8:ffff::1")));
  EXPECT_FALSE(Net("2001:db8::/32").Contains(Ip("2001:db9::")));
  EXPECT_TRUE(Net("1.2.3.4/32").Contains(Ip("1.2.3.4")));
  EXPECT_FALSE(Net("1.2.3.4/32").Contains(Ip("1.2.3.5")));
}

TEST(CidrTest, ContainsCidr) {
  Cidr net = Net("10.0.0.0/8");
  EXPECT_TRUE(net.Contains(Net("10.1.0.0/16")));
  EXPECT_TRUE(net.Contains(net));
  EXPECT_FALSE(Net("10.1.0.0/16").Contains(net));
  EXPECT_FALSE(net.Contains(Net("11.0.0.0/16")));
  EXPECT_FALSE(net.Contains(Net("0.0.0.0/0")));
  EXPECT_FALSE(Net("0.0.0.0/0").Contains(Net("::/0")));
  EXPECT_FALSE(Net("::/0").Contains(Net("10.0.0.0/8")));
  EXPECT_TRUE(Net("::/0").Contains(Net("2001:db8::/32")));
}

TEST(CidrTest, LastAddress) {
  EXPECT_EQ(Net("10.0.0.0/8").LastAddress().ToString(), "10.255.255.255");
  EXPECT_EQ(Net("192.168.1.0/24").LastAddress().ToString(), "192.168.1.255");
  EXPECT_EQ(Net("192.168.1.0/23").LastAddress().ToString(), "192.168.1.255");
  EXPECT_EQ(Net("10.0.0.0/20").LastAddress().ToString(), "10.0.15.255");
  EXPECT_EQ(Net("0.0.0.0/0").LastAddress().ToString(), "255.255.255.255");
  EXPECT_EQ(Net("1.2.3.4/32").LastAddress().ToString(), "1.2.3.4");
  EXPECT_EQ(Net("2001:db8::/32").LastAddress().ToString(),
            "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff");
  EXPECT_EQ(Net("::/0").LastAddress().ToString(), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
  EXPECT_TRUE(Net("10.0.0.0/8").LastAddress().is_v4());
}

TEST(CidrTest, OfAndOrdering) {
  Cidr c = Cidr::Of(Ip("172.16.5.4"), 12);
  EXPECT_EQ(c.ToString(), "172.16.0.0/12");
  EXPECT_EQ(c.network().ToString(), "172.16.0.0");
  EXPECT_EQ(c.prefix(), 12);
  std::vector<Cidr> nets = {Net("10.0.0.0/16"), Net("::/0"), Net("10.0.0.0/8"), Net("9.0.0.0/8")};
  std::sort(nets.begin(), nets.end());
  std::vector<std::string> texts;
  for (const auto& n : nets) texts.push_back(n.ToString());
  EXPECT_EQ(texts, (std::vector<std::string>{"9.0.0.0/8", "10.0.0.0/8", "10.0.0.0/16", "::/0"}));
}

}  // namespace
}  // namespace mamori
