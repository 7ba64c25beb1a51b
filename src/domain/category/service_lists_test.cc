#include "domain/category/service_lists.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/test_temp_dir.h"

namespace mamori::domain {
namespace {

TEST(ServiceListsTest, ParsesHeaderEntriesProviderAndAbuseContact) {
  auto entries = ParseServiceList(
      "\xEF\xBB\xBF# category: dynamic_dns\r\n# source: test\n\nduckdns.org\n"
      "DDNS.net | No-IP | abuse@noip.com\r\n# a comment\nhopto.org | No-IP\n",
      "dyn", "dyn.txt");
  ASSERT_TRUE(entries) << entries.error().ToString();
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[1].domain, "ddns.net");
  EXPECT_EQ((*entries)[1].provider, "No-IP");
  EXPECT_EQ((*entries)[1].abuse_contact, "abuse@noip.com");
  EXPECT_EQ((*entries)[1].category, Category::kDynamicDns);
  EXPECT_EQ((*entries)[1].line, 5);
  EXPECT_EQ((*entries)[2].abuse_contact, "");
}

TEST(ServiceListsTest, ErrorsNameFileAndLine) {
  auto no_header = ParseServiceList("a.example\n", "x", "x.txt");
  ASSERT_FALSE(no_header);
  EXPECT_EQ(no_header.error().context, "x.txt:1");
  EXPECT_NE(no_header.error().message.find("category"), std::string::npos);

  auto bad_category = ParseServiceList("# category: dga\na.example\n", "x", "x.txt");
  ASSERT_FALSE(bad_category);
  EXPECT_EQ(bad_category.error().context, "x.txt:1");

  auto bad_domain = ParseServiceList("# category: cdn\nok.example\nnot valid!\n", "x", "x.txt");
  ASSERT_FALSE(bad_domain);
  EXPECT_EQ(bad_domain.error().context, "x.txt:3");

  auto fields = ParseServiceList("# category: cdn\na.example | P | c | d\n", "x", "x.txt");
  ASSERT_FALSE(fields);
  EXPECT_NE(fields.error().message.find("too many"), std::string::npos);
}

TEST(ServiceListsTest, LongestSuffixWinsAndRootsCoverParents) {
  auto lists = ServiceLists::FromTexts({
      {"cdn", "cdn", "# category: cdn\namazonaws.com | Amazon\n"},
      {"storage", "storage", "# category: cloud_storage\ns3.amazonaws.com | Amazon S3\n"},
  });
  ASSERT_TRUE(lists) << lists.error().ToString();
  EXPECT_EQ(lists->FindSuffix("b.s3.amazonaws.com")->category, Category::kCloudStorage);
  EXPECT_EQ(lists->FindSuffix("x.amazonaws.com")->category, Category::kCdn);
  EXPECT_EQ(lists->FindSuffix("amazonaws.com")->domain, "amazonaws.com");
  EXPECT_EQ(lists->FindSuffix("example.com"), nullptr);
  EXPECT_TRUE(lists->IsPlatformRoot("s3.amazonaws.com"));
  EXPECT_TRUE(lists->IsPlatformRoot("amazonaws.com"));
  EXPECT_FALSE(lists->IsPlatformRoot("com"));
  EXPECT_FALSE(lists->IsPlatformRoot("b.s3.amazonaws.com"));
}

TEST(ServiceListsTest, CuratedEntriesOverrideTheFallbackWhateverTheOrder) {
  auto lists = ServiceLists::FromTexts({
      {"dyn", "dyn", "# category: dynamic_dns\nduckdns.org | Duck DNS\n"},
      {"psl", "psl", "# category: web_hosting\n# fallback: yes\nduckdns.org | DuckDNS\n"},
      {"user", "user", "# category: dynamic_dns\nduckdns.org | | abuse@example.org\n"},
  });
  ASSERT_TRUE(lists);
  const ServiceEntry* e = lists->FindExact("duckdns.org");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->category, Category::kDynamicDns);
  EXPECT_EQ(e->provider, "Duck DNS");              // kept: the later list gave none
  EXPECT_EQ(e->abuse_contact, "abuse@example.org");  // added by the later list
  EXPECT_EQ(e->list, "user");
}

TEST(ServiceListsTest, BuiltinListsLoadWithTheirCategories) {
  auto lists = ServiceLists::LoadBuiltin();
  ASSERT_TRUE(lists) << lists.error().ToString();
  EXPECT_GT(lists->entries().size(), 3000u);
  EXPECT_EQ(lists->FindExact("bit.ly")->category, Category::kUrlShortener);
  EXPECT_EQ(lists->FindExact("duckdns.org")->category, Category::kDynamicDns);  // not PSL's
  EXPECT_EQ(lists->FindExact("github.io")->category, Category::kWebHosting);
  EXPECT_EQ(lists->FindExact("pastebin.com")->category, Category::kPasteSite);
  EXPECT_EQ(lists->FindExact("doubleclick.net")->category, Category::kAdvertising);
  EXPECT_EQ(lists->FindExact("cloudfront.net")->category, Category::kCdn);
  EXPECT_EQ(lists->FindExact("drive.google.com")->category, Category::kCloudStorage);
  EXPECT_EQ(lists->FindSuffix("x.compute.amazonaws.com")->provider, "Amazon EC2");
}

TEST(ServiceListsTest, UserDirectoriesAddLists) {
  mamori::testing::TempDir dir;
  std::ofstream(dir.path() / "corp.txt") << "# category: web_hosting\nsites.corp.example | Corp\n";
  std::ofstream(dir.path() / "ignored.md") << "not a list\n";
  auto lists = ServiceLists::LoadBuiltin({dir.path()});
  ASSERT_TRUE(lists) << lists.error().ToString();
  EXPECT_EQ(lists->FindSuffix("a.sites.corp.example")->list, "corp");
  auto missing = ServiceLists::LoadFrom({dir.path() / "nope"});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST(ServiceListsTest, BuiltinEntryCountsMatchTheirHeaders) {
  // Every shipped list says how many entries it has; keep the header honest.
  auto lists = ServiceLists::LoadBuiltin();
  ASSERT_TRUE(lists);
  const std::filesystem::path dir = std::filesystem::path(MAMORI_SOURCE_DIR) / "data/services";
  for (const auto& f : std::filesystem::directory_iterator(dir)) {
    if (f.path().extension() != ".txt") continue;
    std::ifstream in(f.path());
    std::string line, declared;
    int count = 0;
    while (std::getline(in, line)) {
      if (line.rfind("# entries:", 0) == 0) declared = line.substr(11);
      if (!line.empty() && line[0] != '#') ++count;
    }
    EXPECT_EQ(declared, std::to_string(count)) << f.path();
  }
}

}  // namespace
}  // namespace mamori::domain
