#include "core/domain_name.h"

#include <gtest/gtest.h>

#include <string>

namespace mamori {
namespace {

DomainName Name(std::string_view text) {
  auto name = DomainName::Parse(text);
  EXPECT_TRUE(name.has_value()) << text << ": " << (name ? "" : name.error().ToString());
  return name.value_or(*DomainName::Parse("invalid.invalid"));
}

std::string ParseError(std::string_view text) {
  auto name = DomainName::Parse(text);
  if (name) return "parsed as " + name->name();
  EXPECT_EQ(name.error().code, ErrorCode::kInvalidArgument);
  return name.error().message;
}

TEST(DomainNameTest, LowerCasesAndStripsOneTrailingDot) {
  EXPECT_EQ(Name("Example.COM").name(), "example.com");
  EXPECT_EQ(Name("www.example.com.").name(), "www.example.com");
  EXPECT_EQ(Name("_dmarc.Example.com").name(), "_dmarc.example.com");
  EXPECT_EQ(Name("a-b.example").name(), "a-b.example");
  EXPECT_EQ(Name("1password.com").name(), "1password.com");
  EXPECT_EQ(Name("example.com"), Name("EXAMPLE.com."));
  EXPECT_EQ(ParseError("example.com.."), "empty label in domain name");
}

TEST(DomainNameTest, IdnToALabelAndBack) {
  DomainName idn = Name("bücher.example");
  EXPECT_EQ(idn.name(), "xn--bcher-kva.example");
  EXPECT_EQ(idn.ToUnicode(), "bücher.example");
  // Upper-case Unicode and ASCII are folded, and the trailing dot goes too.
  EXPECT_EQ(Name("BÜCHER.Example.").name(), "xn--bcher-kva.example");
  // An A-label input is kept and shows as Unicode.
  DomainName alabel = Name("XN--BCHER-KVA.example");
  EXPECT_EQ(alabel.name(), "xn--bcher-kva.example");
  EXPECT_EQ(alabel.ToUnicode(), "bücher.example");
  EXPECT_EQ(Name("münchen.de").name(), "xn--mnchen-3ya.de");
  EXPECT_EQ(Name("例え.jp").name(), "xn--r8jz45g.jp");
  EXPECT_EQ(Name("example.com").ToUnicode(), "example.com");
}

TEST(DomainNameTest, LengthLimits) {
  std::string label63(63, 'a');
  std::string label64(64, 'a');
  EXPECT_EQ(Name(label63 + ".example").name(), label63 + ".example");
  EXPECT_EQ(ParseError(label64 + ".example"), "label longer than 63 octets");
  // 253 octets is the longest name (without the trailing dot).
  std::string name253 = std::string(63, 'a') + "." + std::string(63, 'b') + "." +
                        std::string(63, 'c') + "." + std::string(57, 'd') + ".com";
  ASSERT_EQ(name253.size(), 253u);
  EXPECT_EQ(Name(name253).name(), name253);
  EXPECT_EQ(Name(name253 + ".").name(), name253);
  std::string name254 = "e" + name253;
  ASSERT_EQ(name254.size(), 254u);
  EXPECT_EQ(ParseError(name254), "domain name longer than 253 octets");
}

TEST(DomainNameTest, RejectsBadCharactersAndShapes) {
  EXPECT_EQ(ParseError("exa mple.com"), "character 'space' not allowed in a domain name");
  EXPECT_EQ(ParseError("exa*mple.com"), "character '*' not allowed in a domain name");
  EXPECT_EQ(ParseError("example.com/path"), "character '/' not allowed in a domain name");
  EXPECT_EQ(ParseError("user@example.com"), "character '@' not allowed in a domain name");
  EXPECT_EQ(ParseError("example.com:80"), "character ':' not allowed in a domain name");
  EXPECT_EQ(ParseError(".example.com"), "empty label in domain name");
  EXPECT_EQ(ParseError("a..example.com"), "empty label in domain name");
  EXPECT_EQ(ParseError(""), "empty domain name");
  EXPECT_EQ(ParseError("."), "empty domain name");
  EXPECT_EQ(ParseError("localhost"), "a domain name needs at least two labels");
  EXPECT_EQ(ParseError("com."), "a domain name needs at least two labels");
  EXPECT_EQ(ParseError("1.2.3.4"), "top-level label is numeric (an IP address?)");
  EXPECT_EQ(ParseError("example.123"), "top-level label is numeric (an IP address?)");
  // A numeric label elsewhere is fine; only the TLD matters.
  EXPECT_EQ(Name("123.example").name(), "123.example");
  EXPECT_EQ(Name("example.x1").name(), "example.x1");
  auto err = DomainName::Parse("bad name.example");
  ASSERT_FALSE(err.has_value());
  EXPECT_EQ(err.error().context, "bad name.example");
}

TEST(DomainNameTest, RejectsInvalidIdn) {
  // U+2615 HOT BEVERAGE is not allowed in IDNA 2008, and invalid UTF-8 is not a name at all.
  auto bad_utf8 = DomainName::Parse("ex\xff\xfe.com");
  ASSERT_FALSE(bad_utf8.has_value());
  EXPECT_EQ(bad_utf8.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(bad_utf8.error().message.find("invalid internationalized domain name"),
            std::string::npos)
      << bad_utf8.error().message;
}

TEST(DomainNameTest, RegisteredDomainAndPublicSuffix) {
  DomainName uk = Name("www.example.co.uk");
  EXPECT_EQ(uk.RegisteredDomain(), "example.co.uk");
  EXPECT_EQ(uk.PublicSuffix(), "co.uk");
  EXPECT_FALSE(uk.IsPrivateSuffix());
  EXPECT_FALSE(uk.IsPublicSuffix());

  DomainName blog = Name("x.y.blogspot.com");
  EXPECT_EQ(blog.RegisteredDomain(), "y.blogspot.com");
  EXPECT_EQ(blog.PublicSuffix(), "blogspot.com");
  EXPECT_TRUE(blog.IsPrivateSuffix());

  DomainName duck = Name("a.duckdns.org");
  EXPECT_EQ(duck.RegisteredDomain(), "a.duckdns.org");
  EXPECT_EQ(duck.PublicSuffix(), "duckdns.org");
  EXPECT_TRUE(duck.IsPrivateSuffix());

  DomainName com = Name("mail.example.com");
  EXPECT_EQ(com.RegisteredDomain(), "example.com");
  EXPECT_EQ(com.PublicSuffix(), "com");
  EXPECT_FALSE(com.IsPrivateSuffix());
  EXPECT_EQ(Name("example.com").RegisteredDomain(), "example.com");

  DomainName idn = Name("www.bücher.example.de");
  EXPECT_EQ(idn.RegisteredDomain(), "example.de");
}

TEST(DomainNameTest, PublicSuffixItself) {
  DomainName co_uk = Name("co.uk");
  EXPECT_EQ(co_uk.RegisteredDomain(), std::nullopt);
  EXPECT_TRUE(co_uk.IsPublicSuffix());
  EXPECT_EQ(co_uk.PublicSuffix(), "co.uk");
  EXPECT_FALSE(co_uk.IsPrivateSuffix());

  DomainName blogspot = Name("blogspot.com");
  EXPECT_EQ(blogspot.RegisteredDomain(), std::nullopt);
  EXPECT_TRUE(blogspot.IsPublicSuffix());
  EXPECT_TRUE(blogspot.IsPrivateSuffix());

  DomainName duckdns = Name("duckdns.org");
  EXPECT_TRUE(duckdns.IsPublicSuffix());
  EXPECT_TRUE(duckdns.IsPrivateSuffix());
  EXPECT_EQ(duckdns.RegisteredDomain(), std::nullopt);
}

TEST(DomainNameTest, UnknownTldUsesImplicitStarRule) {
  DomainName unknown = Name("host.corp.unknowntld");
  EXPECT_EQ(unknown.PublicSuffix(), "unknowntld");
  EXPECT_EQ(unknown.RegisteredDomain(), "corp.unknowntld");
  EXPECT_FALSE(unknown.IsPrivateSuffix());
  EXPECT_FALSE(unknown.IsPublicSuffix());
}

TEST(DomainNameTest, Parent) {
  EXPECT_EQ(Name("a.b.example").Parent(), "b.example");
  EXPECT_EQ(Name("b.example").Parent(), "example");
}

TEST(DomainNameTest, IsSubdomainOf) {
  DomainName name = Name("a.example.com");
  EXPECT_TRUE(name.IsSubdomainOf("example.com"));
  EXPECT_TRUE(name.IsSubdomainOf("com"));
  EXPECT_TRUE(name.IsSubdomainOf("a.example.com"));
  EXPECT_FALSE(name.IsSubdomainOf("ample.com"));  // a label boundary is required
  EXPECT_FALSE(name.IsSubdomainOf("b.a.example.com"));
  EXPECT_FALSE(name.IsSubdomainOf("example.org"));
  EXPECT_FALSE(name.IsSubdomainOf(""));
  EXPECT_FALSE(Name("badexample.com").IsSubdomainOf("example.com"));
}

TEST(DomainNameTest, Ordering) {
  EXPECT_LT(Name("a.example"), Name("b.example"));
  EXPECT_EQ(Name("A.example"), Name("a.example."));
}

}  // namespace
}  // namespace mamori
