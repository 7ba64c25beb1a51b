#include "core/address_range_set.h"

#include <gtest/gtest.h>

#include <bitset>
#include <random>

namespace mamori {
namespace {

IpAddress Ip(std::string_view text) { return *IpAddress::Parse(text); }
Cidr Net(std::string_view text) { return Cidr::Parse(text)->cidr; }

std::vector<std::string> CidrStrings(const AddressRangeSet& set) {
  std::vector<std::string> out;
  for (const auto& c : set.ToCidrs()) out.push_back(c.ToString());
  return out;
}

AddressRangeSet SetOf(std::initializer_list<std::string_view> cidrs) {
  AddressRangeSet set;
  for (auto c : cidrs) set.Add(Net(c));
  set.Normalize();
  return set;
}

TEST(AddressValueTest, RoundTrips) {
  EXPECT_EQ(ToAddressValue(Ip("1.2.3.4")), AddressValue{0x01020304});
  EXPECT_EQ(FromAddressValue(0x01020304, IpFamily::kV4), Ip("1.2.3.4"));
  AddressValue v6 = ToAddressValue(Ip("2001:db8::1"));
  EXPECT_EQ(static_cast<uint64_t>(v6 >> 96), 0x20010db8u);
  EXPECT_EQ(static_cast<uint64_t>(v6), 1u);
  EXPECT_EQ(FromAddressValue(v6, IpFamily::kV6), Ip("2001:db8::1"));
  EXPECT_EQ(ToAddressValue(Ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")), ~AddressValue{0});
}

TEST(AddressValueTest, CountToString) {
  EXPECT_EQ(AddressCountToString(0), "0");
  EXPECT_EQ(AddressCountToString(4294967296u), "4294967296");
  EXPECT_EQ(AddressCountToString(~AddressValue{0}), "340282366920938463463374607431768211455");
}

TEST(AddressRangeSetTest, ContainsAndIntersectsAtEdges) {
  AddressRangeSet set = SetOf({"10.0.0.0/24", "2001:db8::/64"});
  EXPECT_TRUE(set.Contains(Ip("10.0.0.0")));
  EXPECT_TRUE(set.Contains(Ip("10.0.0.255")));
  EXPECT_FALSE(set.Contains(Ip("10.0.1.0")));
  EXPECT_FALSE(set.Contains(Ip("9.255.255.255")));
  EXPECT_TRUE(set.Contains(Ip("2001:db8::ffff")));
  EXPECT_FALSE(set.Contains(Ip("2001:db8:0:1::")));
  // IPv4 and IPv4-mapped IPv6 are different families here.
  EXPECT_FALSE(set.Contains(Ip("::ffff:10.0.0.1")));

  EXPECT_TRUE(set.Intersects(Net("10.0.0.255/32")));
  EXPECT_TRUE(set.Intersects(Net("10.0.0.128/25")));
  EXPECT_TRUE(set.Intersects(Net("8.0.0.0/6")));  // 8.0.0.0-11.255.255.255 covers it
  EXPECT_FALSE(set.Intersects(Net("10.0.1.0/24")));
  EXPECT_FALSE(set.Intersects(Net("9.255.255.255/32")));
  EXPECT_TRUE(set.IntersectsV4(0x09FFFFFF, 0x0A000000));
  EXPECT_FALSE(set.IntersectsV4(0x0A000100, 0xFFFFFFFF));
  EXPECT_TRUE(set.Intersects(Net("::/0")));
  EXPECT_FALSE(set.Intersects(Net("2001:db8:1::/48")));
  EXPECT_FALSE(AddressRangeSet().Intersects(Net("0.0.0.0/0")));
}

TEST(AddressRangeSetTest, MergesOverlappingAndAdjacent) {
  AddressRangeSet set;
  set.AddV4(10, 20);
  set.AddV4(21, 30);  // adjacent
  set.AddV4(5, 12);   // overlapping
  set.AddV4(32, 40);  // gap of one (31)
  set.AddV4(35, 36);  // inside
  set.Normalize();
  ASSERT_EQ(set.v4().size(), 2u);
  EXPECT_EQ(set.v4()[0], (AddressRange{5, 30}));
  EXPECT_EQ(set.v4()[1], (AddressRange{32, 40}));
  set.Normalize();  // idempotent
  EXPECT_EQ(set.v4().size(), 2u);
  EXPECT_EQ(set.CountV4(), AddressValue{26 + 9});

  AddressRangeSet hosts;
  hosts.Add(Ip("1.2.3.4"));
  hosts.Add(Ip("1.2.3.5"));
  hosts.Add(Ip("1.2.3.4"));
  hosts.Normalize();
  EXPECT_EQ(CidrStrings(hosts), std::vector<std::string>{"1.2.3.4/31"});
}

TEST(AddressRangeSetTest, WholeSpaces) {
  AddressRangeSet set = SetOf({"0.0.0.0/0", "1.2.3.0/24", "::/0", "2001:db8::/32"});
  EXPECT_EQ(CidrStrings(set), (std::vector<std::string>{"0.0.0.0/0", "::/0"}));
  EXPECT_EQ(set.CountV4(), AddressValue{1} << 32);
  EXPECT_EQ(set.CountV6(), ~AddressValue{0});  // 2^128 saturates
  EXPECT_TRUE(set.Contains(Ip("255.255.255.255")));
  EXPECT_TRUE(set.Contains(Ip("0.0.0.0")));
  EXPECT_TRUE(set.Contains(Ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")));
  EXPECT_TRUE(set.Minus(set).empty());
  EXPECT_EQ(CidrStrings(set.Minus(SetOf({"128.0.0.0/1", "::/1"}))),
            (std::vector<std::string>{"0.0.0.0/1", "8000::/1"}));
}

TEST(AddressRangeSetTest, TopOfTheSpaceDoesNotOverflow) {
  AddressRangeSet set;
  set.AddV4(0xFFFFFFFF, 0xFFFFFFFF);
  set.AddV4(0xFFFFFFFE, 0xFFFFFFFE);
  set.AddV4(0xFFFFFF00, 0xFFFFFFFF);
  set.AddV4(0xFFFFFFF0, 0xFFFFFFFF);  // after a range ending at the top
  set.Normalize();
  ASSERT_EQ(set.v4().size(), 1u);
  EXPECT_EQ(CidrStrings(set), std::vector<std::string>{"255.255.255.0/24"});
  AddressRangeSet top;
  top.AddV4(0xFFFFFFFD, 0xFFFFFFFF);
  top.Normalize();
  EXPECT_EQ(CidrStrings(top),
            (std::vector<std::string>{"255.255.255.253/32", "255.255.255.254/31"}));
  EXPECT_TRUE(top.IntersectsV4(0xFFFFFFFF, 0xFFFFFFFF));
  AddressRangeSet v6;
  v6.AddV6(~AddressValue{0}, ~AddressValue{0});
  v6.AddV6(~AddressValue{0} - 1, ~AddressValue{0});
  v6.Normalize();
  EXPECT_EQ(CidrStrings(v6),
            std::vector<std::string>{"ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127"});
  EXPECT_EQ(v6.CountV6(), AddressValue{2});
}

TEST(AddressRangeSetTest, ToCidrsIsMinimalAndOrdered) {
  AddressRangeSet set;
  set.Add(Net("2001:db8::/48"));
  set.AddV4(0x0A000001, 0x0A00000E);  // 10.0.0.1 - 10.0.0.14
  set.Normalize();
  EXPECT_EQ(CidrStrings(set),
            (std::vector<std::string>{"10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/30", "10.0.0.8/30",
                                      "10.0.0.12/31", "10.0.0.14/32", "2001:db8::/48"}));
}

TEST(AddressRangeSetTest, MinusAndIntersect) {
  AddressRangeSet a = SetOf({"10.0.0.0/24", "10.0.2.0/24", "2001:db8::/32"});
  AddressRangeSet b = SetOf({"10.0.0.128/25", "10.0.1.0/24", "10.0.2.10/32", "2001:db8::/33"});
  EXPECT_EQ(CidrStrings(a.Minus(b)),
            (std::vector<std::string>{"10.0.0.0/25", "10.0.2.0/29", "10.0.2.8/31", "10.0.2.11/32",
                                      "10.0.2.12/30", "10.0.2.16/28", "10.0.2.32/27",
                                      "10.0.2.64/26", "10.0.2.128/25", "2001:db8:8000::/33"}));
  EXPECT_EQ(CidrStrings(b.Minus(a)), std::vector<std::string>{"10.0.1.0/24"});
  EXPECT_EQ(CidrStrings(a.Intersect(b)),
            (std::vector<std::string>{"10.0.0.128/25", "10.0.2.10/32", "2001:db8::/33"}));
  EXPECT_TRUE(a.Minus(AddressRangeSet()).v4() == a.v4());
  EXPECT_TRUE(AddressRangeSet().Minus(a).empty());
  EXPECT_TRUE(a.Intersect(AddressRangeSet()).empty());
}

// Random ranges inside 10.0.0.0/20 checked against a bitmap of its 4096 addresses.
TEST(AddressRangeSetTest, PropertyAgainstBitmap) {
  constexpr uint32_t kBase = 0x0A000000;
  constexpr uint32_t kSize = 4096;
  using Bits = std::bitset<kSize>;
  std::mt19937 rng(20261130);
  auto random_set = [&](AddressRangeSet& set, Bits& bits) {
    int n = std::uniform_int_distribution<int>(0, 40)(rng);
    for (int i = 0; i < n; ++i) {
      uint32_t a = std::uniform_int_distribution<uint32_t>(0, kSize - 1)(rng);
      uint32_t len = std::uniform_int_distribution<int>(0, 3)(rng) == 0
                         ? std::uniform_int_distribution<uint32_t>(0, 600)(rng)
                         : std::uniform_int_distribution<uint32_t>(0, 8)(rng);
      uint32_t b = std::min(kSize - 1, a + len);
      set.AddV4(kBase + a, kBase + b);
      for (uint32_t x = a; x <= b; ++x) bits.set(x);
    }
    set.Normalize();
  };
  auto check_matches = [&](const AddressRangeSet& set, const Bits& bits) {
    // Normalized: sorted, disjoint, non-adjacent.
    for (size_t i = 1; i < set.v4().size(); ++i) {
      ASSERT_GT(set.v4()[i].first, set.v4()[i - 1].last + 1);
    }
    for (const auto& r : set.v4()) ASSERT_LE(r.first, r.last);
    ASSERT_EQ(set.CountV4(), AddressValue{bits.count()});
    for (uint32_t x = 0; x < kSize; ++x) {
      ASSERT_EQ(set.Contains(IpAddress::FromV4(kBase + x)), bits.test(x)) << x;
    }
    // ToCidrs: exact cover, ascending, and minimal. The minimal count is the number of aligned
    // blocks fully in the set whose parent block is not.
    Bits covered;
    uint32_t prev_end = 0;
    bool first = true;
    auto cidrs = set.ToCidrs();
    for (const auto& c : cidrs) {
      uint32_t start = c.network().v4() - kBase;
      uint32_t size = 1u << (32 - c.prefix());
      ASSERT_TRUE(first || start >= prev_end);
      first = false;
      prev_end = start + size;
      for (uint32_t x = start; x < start + size; ++x) {
        ASSERT_FALSE(covered.test(x));
        covered.set(x);
      }
    }
    ASSERT_EQ(covered, bits);
    size_t minimal = 0;
    for (uint32_t size = 1; size <= kSize; size <<= 1) {
      for (uint32_t start = 0; start < kSize; start += size) {
        bool full = true;
        for (uint32_t x = start; x < start + size && full; ++x) full = bits.test(x);
        if (!full) continue;
        bool parent_full = size < kSize;
        uint32_t pstart = start & ~(2 * size - 1);
        for (uint32_t x = pstart; x < pstart + 2 * size && parent_full; ++x) {
          parent_full = bits.test(x);
        }
        if (!parent_full) ++minimal;
      }
    }
    ASSERT_EQ(cidrs.size(), minimal);
  };
  for (int round = 0; round < 300; ++round) {
    AddressRangeSet a, b;
    Bits abits, bbits;
    random_set(a, abits);
    random_set(b, bbits);
    check_matches(a, abits);
    check_matches(a.Minus(b), abits & ~bbits);
    check_matches(a.Intersect(b), abits & bbits);
    // Intersects agrees with the bitmap on random blocks.
    for (int i = 0; i < 20; ++i) {
      int prefix = std::uniform_int_distribution<int>(20, 32)(rng);
      uint32_t offset = std::uniform_int_distribution<uint32_t>(0, kSize - 1)(rng);
      Cidr c = Cidr::Of(IpAddress::FromV4(kBase + offset), prefix);
      uint32_t start = c.network().v4() - kBase, size = 1u << (32 - prefix);
      bool any = false;
      for (uint32_t x = start; x < start + size; ++x) any = any || abits.test(x);
      ASSERT_EQ(a.Intersects(c), any) << c.ToString();
    }
  }
}

}  // namespace
}  // namespace mamori
