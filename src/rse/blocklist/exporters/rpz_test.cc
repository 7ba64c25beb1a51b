#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "rse/blocklist/exporters/exporter.h"
#include "rse/blocklist/exporters/internal/formats.h"
#include "rse/blocklist/exporters/internal/test_util.h"

namespace mamori::rse::blocklist::exporters {
namespace {

using testing::AllClassesProfile;
using testing::Entry;
using testing::Fixture;
using ::testing::HasSubstr;
using ::testing::Not;

std::string Trigger(std::string_view cidr) {
  auto parsed = Cidr::Parse(cidr);
  EXPECT_TRUE(parsed) << cidr;
  return parsed ? RpzIpTrigger(parsed->cidr) : "";
}

TEST(RpzExportTest, IpTriggers) {
  EXPECT_EQ(Trigger("1.2.3.4"), "32.4.3.2.1.rpz-ip");
  EXPECT_EQ(Trigger("192.0.2.0/24"), "24.0.2.0.192.rpz-ip");
  EXPECT_EQ(Trigger("2001:db8::/32"), "32.zz.db8.2001.rpz-ip");
  EXPECT_EQ(Trigger("::1"), "128.1.zz.rpz-ip");
  EXPECT_EQ(Trigger("2001:db8::1"), "128.1.zz.db8.2001.rpz-ip");
  // The longest zero run is compressed; of equal runs the first in address order (RFC 5952,
  // and BIND's canonical form: "1.0.0.1.zz.db8.2001" for 2001:db8:0:0:1:0:0:1).
  EXPECT_EQ(Trigger("2001:db8:0:0:1:0:0:1"), "128.1.0.0.1.zz.db8.2001.rpz-ip");
  EXPECT_EQ(Trigger("2001:db8:0:0:1::/80"), "80.zz.1.0.0.db8.2001.rpz-ip");
  // A single zero word stays "0".
  EXPECT_EQ(Trigger("2001:db8:0:1:1:1:1:1"), "128.1.1.1.1.1.0.db8.2001.rpz-ip");
  EXPECT_EQ(Trigger("::/1"), "1.zz.rpz-ip");
}

TEST(RpzExportTest, ZoneHeaderAndRecords) {
  auto r = Render(Fixture(), AllClassesProfile(DeviceKind::kUnboundRpz));
  ASSERT_TRUE(r);
  EXPECT_THAT(r->content, HasSubstr("$TTL 300\n@ IN SOA localhost. hostmaster.localhost. "
                                    "1700000000 3600 600 86400 300\n@ IN NS localhost.\n"));
  EXPECT_THAT(r->content, HasSubstr("\nevil.example CNAME .\n*.evil.example CNAME .\n"));
  EXPECT_THAT(r->content, HasSubstr("\nc2.bad.example CNAME .\n"));
  EXPECT_THAT(r->content, Not(HasSubstr("*.c2.bad.example")));
  EXPECT_THAT(r->content, HasSubstr("\n32.7.2.0.192.rpz-ip CNAME .\n"));
  EXPECT_THAT(r->content, HasSubstr("\n24.0.100.51.198.rpz-ip CNAME .\n"));
  EXPECT_THAT(r->content, Not(HasSubstr("http")));
  // unbound and BIND read the same file.
  EXPECT_EQ(r->content, Render(Fixture(), AllClassesProfile(DeviceKind::kBindRpz))->content);
}

TEST(RpzExportTest, Actions) {
  struct Case {
    const char* action;
    const char* rdata;
  };
  for (Case c :
       {Case{"nxdomain", "CNAME ."}, Case{"nodata", "CNAME *."}, Case{"drop", "CNAME rpz-drop."},
        Case{"passthru", "CNAME rpz-passthru."}, Case{"tcp-only", "CNAME rpz-tcp-only."},
        Case{"walled.example", "CNAME walled.example."},
        Case{"walled.example.", "CNAME walled.example."}}) {
    DeviceProfile p = AllClassesProfile(DeviceKind::kBindRpz);
    p.rpz_action = c.action;
    auto r = Render(Fixture(), p);
    ASSERT_TRUE(r) << c.action;
    EXPECT_THAT(r->content, HasSubstr(std::string("\nevil.example ") + c.rdata + "\n"));
    EXPECT_THAT(r->content, HasSubstr(std::string("\n32.7.2.0.192.rpz-ip ") + c.rdata + "\n"));
  }
  DeviceProfile p = AllClassesProfile(DeviceKind::kBindRpz);
  p.rpz_action = "bad action";
  auto r = Render(Fixture(), p);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  p = AllClassesProfile(DeviceKind::kBindRpz);
  p.rpz_zone = "bad zone";
  EXPECT_FALSE(Render(Fixture(), p));
}

TEST(RpzExportTest, SkipsNamesTheZoneCannotHold) {
  std::string long_name;
  for (int i = 0; i < 4; ++i) long_name += std::string(60, 'a' + i) + ".";
  long_name += "example";  // 251 characters: fits alone, not under ".rpz.mamori"
  Blocklist list{"p",
                 1700000000,
                 {Entry(IndicatorType::kDomain, long_name, 50, "", {}),
                  Entry(IndicatorType::kDomain, "x.rpz-ip", 50, "", {}),
                  Entry(IndicatorType::kDomain, "y.rpz-nsdname", 50, "", {}),
                  Entry(IndicatorType::kCidr, "0.0.0.0/0", 50, "", {}),
                  Entry(IndicatorType::kDomain, "ok.example", 50, "", {})}};
  auto r = Render(list, AllClassesProfile(DeviceKind::kUnboundRpz));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->written, 1);
  EXPECT_EQ(r->skipped, 4);
  EXPECT_THAT(r->content, HasSubstr("\nok.example CNAME .\n"));
}

TEST(RpzExportTest, SerialIsBuildTime) {
  Blocklist list{"p", 1800000000, {}};
  auto r = Render(list, AllClassesProfile(DeviceKind::kUnboundRpz));
  ASSERT_TRUE(r);
  EXPECT_THAT(r->content, HasSubstr(" 1800000000 3600 600 86400 300\n"));
}

// BIND's own zone checker, when installed (Debian package bind9-utils). unbound has no
// offline zone checker; the unbound connector's tests load this output into a running unbound.
TEST(RpzExportTest, NamedCheckzoneAcceptsTheZone) {
  std::string checker = testing::FindTool("named-checkzone");
  if (checker.empty()) GTEST_SKIP() << "named-checkzone is not installed (bind9-utils)";
  auto r = Render(Fixture(), AllClassesProfile(DeviceKind::kBindRpz));
  ASSERT_TRUE(r);
  std::string file = testing::WriteTemp("mamori.rpz", r->content);
  std::string output;
  EXPECT_EQ(testing::RunShell(checker + " rpz.mamori " + file, &output), 0) << output;
}

}  // namespace
}  // namespace mamori::rse::blocklist::exporters
