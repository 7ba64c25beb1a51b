#include "domain/category/target.h"

#include <gtest/gtest.h>

namespace mamori::domain {
namespace {

TEST(TargetTest, NamesInAnySpellingNormalizeToOneHost) {
  for (const char* text : {"Evil.Example.COM", "evil.example.com.", "  evil.example.com\t",
                           "evil.example.com:8080", "user@evil.example.com",
                           "evil[.]example[.]com"}) {
    auto t = ParseTarget(text);
    ASSERT_TRUE(t) << text << ": " << t.error().ToString();
    EXPECT_EQ(t->host, "evil.example.com") << text;
    EXPECT_FALSE(t->is_ip()) << text;
    EXPECT_FALSE(t->is_url) << text;
  }
}

TEST(TargetTest, UnicodeAndPunycodeAreTheSameName) {
  auto unicode = ParseTarget("BÜCHER.example");
  auto puny = ParseTarget("xn--bcher-kva.example");
  ASSERT_TRUE(unicode && puny);
  EXPECT_EQ(unicode->host, "xn--bcher-kva.example");
  EXPECT_EQ(puny->host, unicode->host);
}

TEST(TargetTest, UrlsKeepPathAndQueryForTheBlockPattern) {
  auto t = ParseTarget("HTTPS://user:pw@Bit.LY:443/AbC?x=1#frag");
  ASSERT_TRUE(t) << t.error().ToString();
  EXPECT_TRUE(t->is_url);
  EXPECT_EQ(t->host, "bit.ly");
  EXPECT_EQ(t->url_pattern, "bit.ly/AbC?x=1");  // path case kept, port default dropped

  auto port = ParseTarget("http://evil.example:8080/a");
  ASSERT_TRUE(port);
  EXPECT_EQ(port->url_pattern, "evil.example:8080/a");

  auto schemeless = ParseTarget("bit.ly/abc");
  ASSERT_TRUE(schemeless);
  EXPECT_EQ(schemeless->host, "bit.ly");
  EXPECT_EQ(schemeless->url_pattern, "bit.ly/abc");

  auto root = ParseTarget("https://evil.example/");
  ASSERT_TRUE(root);
  EXPECT_TRUE(root->is_url);
  EXPECT_EQ(root->url_pattern, "");  // nothing below the host

  auto defanged = ParseTarget("hxxp://evil[.]example/x.exe");
  ASSERT_TRUE(defanged);
  EXPECT_EQ(defanged->url_pattern, "evil.example/x.exe");
}

TEST(TargetTest, IpLiteralsAreNotNames) {
  for (const char* text : {"1.2.3.4", "[2001:db8::1]", "2001:DB8::1", "[2001:db8::1]:443",
                           "http://1.2.3.4:8080/bins/x.sh", "http://[2001:db8::1]/a"}) {
    auto t = ParseTarget(text);
    ASSERT_TRUE(t) << text << ": " << t.error().ToString();
    EXPECT_TRUE(t->is_ip()) << text;
  }
  EXPECT_EQ(ParseTarget("2001:DB8::1")->host, "2001:db8::1");
  EXPECT_EQ(ParseTarget("http://1.2.3.4:8080/bins/x.sh")->url_pattern, "1.2.3.4:8080/bins/x.sh");
}

TEST(TargetTest, BadInputGivesAClearError) {
  struct Case {
    const char* text;
    const char* says;
  };
  for (const Case& c : {Case{"", "empty"}, Case{"   ", "empty"},
                        Case{"not a domain", "not allowed"},
                        Case{"10.0.0.0/8", "network"},
                        Case{"d41d8cd98f00b204e9800998ecf8427e", "hash"},
                        Case{"http:///nohost", "no host"},
                        Case{"localhost", "two labels"},
                        Case{"[2001:db8::1", "unclosed"}}) {
    auto t = ParseTarget(c.text);
    ASSERT_FALSE(t) << c.text;
    EXPECT_NE(t.error().message.find(c.says), std::string::npos)
        << c.text << " -> " << t.error().ToString();
  }
}

}  // namespace
}  // namespace mamori::domain
