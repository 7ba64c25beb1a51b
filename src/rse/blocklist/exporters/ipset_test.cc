#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "rse/blocklist/exporters/exporter.h"
#include "rse/blocklist/exporters/internal/test_util.h"

namespace mamori::rse::blocklist::exporters {
namespace {

using testing::AllClassesProfile;
using testing::Entry;
using testing::Fixture;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(IpsetExportTest, FillsTemporarySetsAndSwaps) {
  auto r = Render(Fixture(), AllClassesProfile(DeviceKind::kIpset));
  ASSERT_TRUE(r);
  EXPECT_THAT(r->content,
              HasSubstr("create mamori_block hash:net family inet hashsize 1024 maxelem 65536 "
                        "-exist\n"
                        "create mamori_block.new hash:net family inet hashsize 1024 maxelem "
                        "65536 -exist\n"
                        "flush mamori_block.new\n"
                        "add mamori_block.new 192.0.2.7 -exist\n"));
  EXPECT_THAT(r->content, HasSubstr("swap mamori_block.new mamori_block\n"
                                    "destroy mamori_block.new\n"
                                    "create mamori_block_v6 hash:net family inet6 "));
  EXPECT_THAT(r->content, HasSubstr("add mamori_block_v6.new 2001:db8:0:0:1::/80 -exist\n"));
}

TEST(IpsetExportTest, MaxElemFollowsCapacityRoundedUp) {
  DeviceProfile p = AllClassesProfile(DeviceKind::kIpset);
  p.capacity.ip = 100000;
  auto r = Render(Fixture(), p);
  ASSERT_TRUE(r);
  EXPECT_THAT(r->content, HasSubstr("maxelem 131072 -exist"));
  EXPECT_THAT(r->content, Not(HasSubstr("maxelem 65536")));
}

TEST(IpsetExportTest, HashIpWithoutCidrSupport) {
  DeviceProfile p = AllClassesProfile(DeviceKind::kIpset);
  p.cidr = CidrPolicy::kUnsupported;
  auto r = Render(Fixture(), p);
  ASSERT_TRUE(r);
  EXPECT_THAT(r->content, HasSubstr("create mamori_block hash:ip family inet "));
  EXPECT_THAT(r->content, Not(HasSubstr("hash:net")));
  EXPECT_THAT(r->content, Not(HasSubstr("/24")));
  EXPECT_EQ(r->written, 4);
  EXPECT_EQ(r->skipped, 8);
}

TEST(IpsetExportTest, RejectsUnusableSetNames) {
  DeviceProfile p = AllClassesProfile(DeviceKind::kIpset);
  p.set_name = "a_name_that_is_much_too_long_x";  // + "_v6" exceeds 31 characters
  EXPECT_FALSE(Render(Fixture(), p));
  p.set_name = "a_name_that_is_just_short_ok";  // 28: the temporary sets' names are cut
  auto r = Render(Fixture(), p);
  ASSERT_TRUE(r);
  EXPECT_THAT(r->content,
              HasSubstr("swap a_name_that_is_just_short_o.new a_name_that_is_just_short_ok\n"));
  EXPECT_THAT(r->content,
              HasSubstr("swap a_name_that_is_just_short_o.new a_name_that_is_just_short_ok_v6\n"));
  p.set_name = "bad name";
  EXPECT_FALSE(Render(Fixture(), p));
}

TEST(IpsetExportTest, SkipsZeroPrefix) {
  Blocklist list{"p", 1, {Entry(IndicatorType::kCidr, "0.0.0.0/0", 50, "", {})}};
  auto r = Render(list, AllClassesProfile(DeviceKind::kIpset));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->written, 0);
  EXPECT_EQ(r->skipped, 1);
}

// ipset has no check mode, so the file is restored for real, twice (as a scheduled refresh
// would), in a throwaway network namespace; the sets must then hold exactly the list.
TEST(IpsetExportTest, RealIpsetRestoresTheFileRepeatedly) {
  std::string ipset = testing::FindTool("ipset");
  if (ipset.empty()) GTEST_SKIP() << "ipset is not installed (Debian package ipset)";
  std::string prefix = testing::NetnsPrefix(ipset + " list -n");
  if (prefix.empty()) {
    GTEST_SKIP() << "cannot create a network namespace (unshare -rn / -n) to run ipset in";
  }
  for (CidrPolicy policy : {CidrPolicy::kOneEntry, CidrPolicy::kUnsupported}) {
    DeviceProfile p = AllClassesProfile(DeviceKind::kIpset);
    p.cidr = policy;
    auto r = Render(Fixture(), p);
    ASSERT_TRUE(r);
    std::string file = testing::WriteTemp("mamori.ipset", r->content);
    std::string output;
    std::string cmd = fmt::format(
        "sh -c '{0} restore -f {1} && {0} restore -f {1} && {0} list mamori_block && "
        "{0} list mamori_block_v6 && {0} list -n'",
        ipset, file);
    ASSERT_EQ(testing::RunShell(prefix + cmd, &output), 0) << output;
    EXPECT_THAT(output, HasSubstr("192.0.2.7"));
    EXPECT_THAT(output, HasSubstr("2001:db8::1"));
    EXPECT_THAT(output, Not(HasSubstr(".new")));  // the temporary sets are gone
    if (policy == CidrPolicy::kOneEntry) {
      EXPECT_THAT(output, HasSubstr("198.51.100.0/24"));
      EXPECT_THAT(output, HasSubstr("Number of entries: 4"));  // 3 hosts + /24
    } else {
      EXPECT_THAT(output, Not(HasSubstr("/24")));
      EXPECT_THAT(output, HasSubstr("Number of entries: 3"));
    }
  }
}

}  // namespace
}  // namespace mamori::rse::blocklist::exporters
