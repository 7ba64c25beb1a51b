#include "rse/blocklist/cidr_tools.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

namespace mamori::rse::blocklist {
namespace {

std::string Merge(std::string_view text, FamilyFilter filter = FamilyFilter::kAll) {
  IpListReader reader(filter);
  EXPECT_TRUE(reader.Parse(text, "t.txt"));
  return FormatIpRanges(reader.Finish(), ListStyle::kCidrs);
}

TEST(CidrToolsTest, MergesLikeIprange) {
  // Expected output taken from `iprange --optimize` 1.0.4 on the same input.
  EXPECT_EQ(Merge("1.2.3.4\n1.2.3.5\n10.0.0.0/8\n# comment\n; semi\n\n  5.5.5.5  \n"
                  "6.6.6.6 - 6.6.6.9\n7.7.7.7-7.7.7.7\n8.8.8.8/24\n"),
            "1.2.3.4/31\n5.5.5.5\n6.6.6.6/31\n6.6.6.8/31\n7.7.7.7\n8.8.8.0/24\n10.0.0.0/8\n");
  EXPECT_EQ(Merge("9.9.9.9/0\n1.2.3.4\n"), "0.0.0.0/0\n");
  EXPECT_EQ(Merge("255.255.255.255\n255.255.255.254\n0.0.0.0\n"), "0.0.0.0\n255.255.255.254/31\n");
  EXPECT_EQ(Merge("1.2.3.9 - 1.2.3.4\n"), "1.2.3.4/30\n1.2.3.8/31\n");  // reversed range
  EXPECT_EQ(Merge("1.2.3.9/24 - 1.2.3.4/30\n"), "1.2.3.0/24\n");
  EXPECT_EQ(Merge("1.2.3.0/255.255.255.0\n"), "1.2.3.0/24\n");
  EXPECT_EQ(Merge(""), "");
}

TEST(CidrToolsTest, CommentsWhitespaceCrlfBom) {
  EXPECT_EQ(Merge("\xEF\xBB\xBF"
                  "1.2.3.4 # trailing\r\n\t1.2.3.5;x\r\n\r\n   \n# only comment\n1.2.3.6#y"),
            "1.2.3.4/31\n1.2.3.6\n");
}

TEST(CidrToolsTest, InvalidLinesAreCountedWithPositions) {
  IpListReader reader;
  ASSERT_TRUE(
      reader.Parse("1.2.3.4\n300.1.1.1\n1.2.3.5/33\n\n1.2.3.4 5\n010.1.1.1\n"
                   "1.2.3.4-::1\nexample.com\n1.2.3.7-\n1.2.3\n2001:db8::/129\n9.9.9.9\n",
                   "list.txt"));
  const auto& s = reader.stats();
  EXPECT_EQ(s.lines, 12);
  EXPECT_EQ(s.skipped, 1);
  EXPECT_EQ(s.entries_v4, 2);
  EXPECT_EQ(s.invalid, 9);
  ASSERT_EQ(s.first_errors.size(), 9u);
  EXPECT_EQ(s.first_errors[0].file, "list.txt");
  EXPECT_EQ(s.first_errors[0].line, 2);
  EXPECT_EQ(s.first_errors[0].excerpt, "300.1.1.1");
  EXPECT_EQ(s.first_errors[1].line, 3);
  EXPECT_EQ(s.first_errors[1].reason, "IPv4 prefix length must be 0-32");
  EXPECT_EQ(s.first_errors[2].line, 5);
  EXPECT_EQ(s.first_errors[2].reason, "unexpected text after the entry");
  EXPECT_EQ(s.first_errors[4].reason, "a range needs two addresses of the same family");
  EXPECT_EQ(s.first_errors[0].ToString(),
            "list.txt:2: not an IP address, CIDR or range [300.1.1.1]");
  EXPECT_EQ(FormatIpRanges(reader.Finish(), ListStyle::kCidrs), "1.2.3.4\n9.9.9.9\n");
}

TEST(CidrToolsTest, AllInvalidIsAnError) {
  IpListReader reader;
  auto status = reader.Parse("# header\nnope\n\n999.1.1.1\n", "bad.txt");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().context, "bad.txt");
  EXPECT_NE(status.error().message.find("line 2"), std::string::npos) << status.error().message;
  // Comments only: an empty list, not an error.
  IpListReader empty;
  EXPECT_TRUE(empty.Parse("# nothing\n\n", "empty.txt"));
  EXPECT_TRUE(empty.Finish().empty());
}

TEST(CidrToolsTest, ReportsOnlyTheFirstErrors) {
  std::string text;
  for (int i = 0; i < 25; ++i) text += "bad\n";
  text += "1.1.1.1\n";
  IpListReader reader;
  ASSERT_TRUE(reader.Parse(text, "x"));
  EXPECT_EQ(reader.stats().invalid, 25);
  EXPECT_EQ(reader.stats().first_errors.size(), IpListStats::kMaxReportedErrors);
}

TEST(CidrToolsTest, Ipv6AndFilters) {
  const char* text =
      "2001:db8::1\n2001:db8::/127\n::ffff:1.2.3.4\n10.0.0.1\n2001:db8::10 - 2001:db8::1f\n"
      "fe80::1/64\n";
  EXPECT_EQ(Merge(text), "10.0.0.1\n::ffff:1.2.3.4\n2001:db8::/127\n2001:db8::10/124\nfe80::/64\n");
  EXPECT_EQ(Merge(text, FamilyFilter::kV4Only), "10.0.0.1\n");
  IpListReader reader(FamilyFilter::kV6Only);
  ASSERT_TRUE(reader.Parse(text, "t"));
  EXPECT_EQ(reader.stats().filtered, 1);
  EXPECT_EQ(reader.stats().entries_v6, 5);
  EXPECT_EQ(reader.stats().host_bits_cleared, 1);
  auto set = reader.Finish();
  EXPECT_TRUE(set.v4.empty());
  EXPECT_EQ(FormatIpRanges(set, ListStyle::kRanges),
            "::ffff:1.2.3.4-::ffff:1.2.3.4\n2001:db8::-2001:db8::1\n"
            "2001:db8::10-2001:db8::1f\nfe80::-fe80::ffff:ffff:ffff:ffff\n");
}

TEST(CidrToolsTest, Counts) {
  IpListReader reader;
  ASSERT_TRUE(reader.Parse("0.0.0.0/0\n::/0\n1.2.3.4\n", "t"));
  auto set = reader.Finish();
  EXPECT_EQ(set.CountV6String(), "340282366920938463463374607431768211456");
  EXPECT_EQ(set.CountString(), "340282366920938463463374607436063178752");  // + 2^32
  EXPECT_EQ(set.CountV4(), uint64_t{1} << 32);
  EXPECT_EQ(set.CidrCountV4(), 1u);
  EXPECT_EQ(set.CidrCountV6(), 1u);
  EXPECT_EQ(FormatIpRanges(set, ListStyle::kCidrs, "+"), "+0.0.0.0/0\n+::/0\n");
  IpListReader r2;
  ASSERT_TRUE(r2.Parse("1.2.3.4\n1.2.3.4\n1.2.3.5\n10.0.0.1-10.0.0.14\n", "t"));
  EXPECT_EQ(r2.stats().entries(), 4);
  auto s2 = r2.Finish();
  EXPECT_EQ(s2.CountString(), "16");
  EXPECT_EQ(s2.v4.size(), 2u);
  EXPECT_EQ(s2.CidrCountV4(), 7u);
  // Round trip through AddressRangeSet for set algebra.
  EXPECT_EQ(IpRanges::FromSet(s2.ToSet()).v4, s2.v4);
}

TEST(CidrToolsTest, ReadsFilesAndNamesThem) {
  auto dir =
      std::filesystem::temp_directory_path() / ("cidr_tools_test." + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "a.txt") << "1.2.3.4\nbad\n";
  std::ofstream(dir / "b.txt") << "1.2.3.5";  // no final newline
  IpListStats stats;
  auto set =
      ReadIpLists({(dir / "a.txt").string(), (dir / "b.txt").string()}, FamilyFilter::kAll, &stats);
  ASSERT_TRUE(set) << set.error().ToString();
  EXPECT_EQ(FormatIpRanges(*set, ListStyle::kCidrs), "1.2.3.4/31\n");
  ASSERT_EQ(stats.first_errors.size(), 1u);
  EXPECT_EQ(stats.first_errors[0].file, (dir / "a.txt").string());
  EXPECT_EQ(stats.first_errors[0].line, 2);
  auto missing = ReadIpLists({(dir / "nope.txt").string()}, FamilyFilter::kAll, nullptr);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().context, (dir / "nope.txt").string());
  EXPECT_FALSE(ReadIpLists({"-", "-"}, FamilyFilter::kAll, nullptr));
  std::filesystem::remove_all(dir);
}

// Random lists through the fast path against AddressRangeSet built from core/ip.h parsing.
TEST(CidrToolsTest, FastPathMatchesReferenceOnRandomLists) {
  std::mt19937 rng(7);
  for (int round = 0; round < 20; ++round) {
    std::string text;
    AddressRangeSet reference;
    const int n = std::uniform_int_distribution<int>(0, 3000)(rng);
    for (int i = 0; i < n; ++i) {
      // Mostly a small universe, so that entries overlap and touch often (and the radix sort
      // skips passes); every other round the whole space.
      uint32_t ip = round % 2 == 0
                        ? 0x0A000000 | std::uniform_int_distribution<uint32_t>(0, 1 << 14)(rng)
                        : std::uniform_int_distribution<uint32_t>(0, 0xFFFFFEFFu)(rng);
      IpAddress addr = IpAddress::FromV4(ip);
      switch (std::uniform_int_distribution<int>(0, 5)(rng)) {
        case 0: {
          int prefix = std::uniform_int_distribution<int>(20, 31)(rng);
          text += addr.ToString() + "/" + std::to_string(prefix) + "\n";
          reference.Add(Cidr::Of(addr, prefix));
          break;
        }
        case 1: {
          uint32_t last = ip + std::uniform_int_distribution<uint32_t>(0, 300)(rng);
          text += addr.ToString() + "-" + IpAddress::FromV4(last).ToString() + "\n";
          reference.AddV4(ip, last);
          break;
        }
        case 2:
          text += "# " + addr.ToString() + "\n";
          break;
        default:
          text += addr.ToString() + "\n";
          reference.Add(addr);
      }
    }
    reference.Normalize();
    IpListReader reader;
    ASSERT_TRUE(reader.Parse(text, "r"));
    auto set = reader.Finish();
    ASSERT_EQ(set.ToSet().v4(), reference.v4());
    std::string fast = FormatIpRanges(set, ListStyle::kCidrs), slow;
    for (const auto& c : reference.ToCidrs()) {
      slow += (c.is_host() ? c.network().ToString() : c.ToString()) + "\n";
    }
    ASSERT_EQ(fast, slow);
    ASSERT_EQ(set.CidrCountV4(), reference.ToCidrs().size());
  }
}

}  // namespace
}  // namespace mamori::rse::blocklist
