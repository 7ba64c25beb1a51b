#include "core/indicator.h"

#include <gtest/gtest.h>

#include <string>
#include <unordered_set>

namespace mamori {
namespace {

using T = IndicatorType;

// Normalizes `text`; on failure returns an indicator whose value is the error, so that a
// mismatch shows the reason in the test output.
Indicator Norm(std::string_view text, std::optional<T> expected = {}) {
  auto n = NormalizeIndicator(text, expected);
  if (!n) return {T::kDomain, "ERROR: " + n.error().ToString()};
  return n->indicator;
}

Error NormError(std::string_view text, std::optional<T> expected = {}) {
  auto n = NormalizeIndicator(text, expected);
  if (n) {
    ADD_FAILURE() << "'" << text << "' normalized to " << IndicatorTypeName(n->indicator.type)
                  << " " << n->indicator.value;
    return {};
  }
  EXPECT_EQ(n.error().code, ErrorCode::kInvalidArgument);
  return n.error();
}

TEST(IndicatorTypeTest, NamesRoundTrip) {
  EXPECT_EQ(IndicatorTypeName(T::kIpv4), "ipv4");
  EXPECT_EQ(IndicatorTypeName(T::kIpv6), "ipv6");
  EXPECT_EQ(IndicatorTypeName(T::kCidr), "cidr");
  EXPECT_EQ(IndicatorTypeName(T::kDomain), "domain");
  EXPECT_EQ(IndicatorTypeName(T::kUrl), "url");
  EXPECT_EQ(IndicatorTypeName(T::kSha256), "sha256");
  EXPECT_EQ(IndicatorTypeName(T::kSha1), "sha1");
  EXPECT_EQ(IndicatorTypeName(T::kMd5), "md5");
  for (int i = 1; i <= 8; ++i) {
    auto type = static_cast<T>(i);
    EXPECT_EQ(ParseIndicatorType(IndicatorTypeName(type)), type);
  }
  EXPECT_EQ(ParseIndicatorType("IPV4"), std::nullopt);
  EXPECT_EQ(ParseIndicatorType("ip"), std::nullopt);
  EXPECT_EQ(ParseIndicatorType(""), std::nullopt);
}

TEST(NormalizeIndicatorTest, AutoDetectsEveryType) {
  EXPECT_EQ(Norm("192.0.2.1"), (Indicator{T::kIpv4, "192.0.2.1"}));
  EXPECT_EQ(Norm("2001:DB8::1"), (Indicator{T::kIpv6, "2001:db8::1"}));
  EXPECT_EQ(Norm("10.0.0.0/8"), (Indicator{T::kCidr, "10.0.0.0/8"}));
  EXPECT_EQ(Norm("2001:db8::/32"), (Indicator{T::kCidr, "2001:db8::/32"}));
  EXPECT_EQ(Norm("Example.COM."), (Indicator{T::kDomain, "example.com"}));
  EXPECT_EQ(Norm("1password.com"), (Indicator{T::kDomain, "1password.com"}));
  EXPECT_EQ(Norm("http://example.com/a"), (Indicator{T::kUrl, "http://example.com/a"}));
  EXPECT_EQ(Norm("D41D8CD98F00B204E9800998ECF8427E"),
            (Indicator{T::kMd5, "d41d8cd98f00b204e9800998ecf8427e"}));
  EXPECT_EQ(Norm("DA39A3EE5E6B4B0D3255BFEF95601890AFD80709"),
            (Indicator{T::kSha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"}));
  EXPECT_EQ(
      Norm("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"),
      (Indicator{T::kSha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}));
}

TEST(NormalizeIndicatorTest, CidrHostPrefixesBecomeAddresses) {
  EXPECT_EQ(Norm("1.2.3.4/32"), (Indicator{T::kIpv4, "1.2.3.4"}));
  EXPECT_EQ(Norm("2001:db8::1/128"), (Indicator{T::kIpv6, "2001:db8::1"}));
  EXPECT_EQ(Norm("1.2.3.4/32", T::kCidr), (Indicator{T::kIpv4, "1.2.3.4"}));
  EXPECT_EQ(Norm("1.2.3.4", T::kCidr), (Indicator{T::kIpv4, "1.2.3.4"}));

  auto dirty = NormalizeIndicator("10.1.2.3/8");
  ASSERT_TRUE(dirty.has_value());
  EXPECT_EQ(dirty->indicator, (Indicator{T::kCidr, "10.0.0.0/8"}));
  EXPECT_TRUE(dirty->host_bits_cleared);
  EXPECT_FALSE(dirty->defanged);
  auto clean = NormalizeIndicator("10.0.0.0/8");
  ASSERT_TRUE(clean.has_value());
  EXPECT_FALSE(clean->host_bits_cleared);
}

TEST(NormalizeIndicatorTest, ExpectedTypeIsEnforced) {
  EXPECT_EQ(Norm("192.0.2.1", T::kIpv4), (Indicator{T::kIpv4, "192.0.2.1"}));
  EXPECT_EQ(Norm("::1", T::kIpv6), (Indicator{T::kIpv6, "::1"}));
  EXPECT_EQ(Norm("10.0.0.0/8", T::kCidr), (Indicator{T::kCidr, "10.0.0.0/8"}));
  EXPECT_EQ(Norm("example.com", T::kDomain), (Indicator{T::kDomain, "example.com"}));
  EXPECT_EQ(Norm("http://example.com", T::kUrl), (Indicator{T::kUrl, "http://example.com/"}));
  EXPECT_EQ(Norm("d41d8cd98f00b204e9800998ecf8427e", T::kMd5).type, T::kMd5);
  // A hex string of a hash length is a name when a domain is expected... but not a valid one.
  EXPECT_EQ(NormError("d41d8cd98f00b204e9800998ecf8427e", T::kDomain).message,
            "a domain name needs at least two labels");
}

TEST(NormalizeIndicatorTest, TypeMismatchErrors) {
  EXPECT_EQ(NormError("::1", T::kIpv4).message, "not a valid ipv4");
  EXPECT_EQ(NormError("1.2.3.4", T::kIpv6).message, "not a valid ipv6");
  EXPECT_EQ(NormError("10.0.0.0/8", T::kIpv4).message, "not a valid ipv4");
  EXPECT_EQ(NormError("example.com", T::kIpv4).message,
            "not a valid ipv4: not an IPv4 or IPv6 address");
  EXPECT_EQ(NormError("example.com", T::kCidr).message,
            "not a valid cidr: not an IPv4 or IPv6 address");
  EXPECT_EQ(NormError("example.com", T::kUrl).message, "not a valid url");
  EXPECT_EQ(NormError("http://example.com/", T::kDomain).message, "not a valid domain");
  EXPECT_EQ(NormError("1.2.3.4", T::kDomain).message, "not a valid domain");
  EXPECT_EQ(NormError("example.com", T::kSha256).message, "not a valid sha256");
  // Right characters, wrong length for the expected hash.
  EXPECT_EQ(NormError("d41d8cd98f00b204e9800998ecf8427e", T::kSha1).message, "not a valid sha1");
  EXPECT_EQ(NormError("d41d8cd98f00b204e9800998ecf8427", T::kMd5).message, "not a valid md5");
  EXPECT_EQ(NormError("g41d8cd98f00b204e9800998ecf8427e", T::kMd5).message, "not a valid md5");
  Error e = NormError("example.com", T::kIpv4);
  EXPECT_EQ(e.context, "example.com");
}

TEST(NormalizeIndicatorTest, InvalidInput) {
  EXPECT_EQ(NormError("").message, "empty indicator");
  EXPECT_EQ(NormError("1.2.3.4/33").message, "prefix length must be 0..32");
  EXPECT_EQ(NormError("1.2.3").message, "top-level label is numeric (an IP address?)");
  EXPECT_EQ(NormError("256.1.1.1").message, "top-level label is numeric (an IP address?)");
  EXPECT_EQ(NormError("not a domain").message, "character 'space' not allowed in a domain name");
  EXPECT_EQ(NormError("localhost").message, "a domain name needs at least two labels");
  EXPECT_EQ(NormError("http://").message, "URL has no host");
  EXPECT_EQ(NormError("://example.com").message, "URL has no scheme");
}

TEST(NormalizeIndicatorTest, Refanging) {
  auto url = NormalizeIndicator("hxxp://evil[.]com");
  ASSERT_TRUE(url.has_value());
  EXPECT_EQ(url->indicator, (Indicator{T::kUrl, "http://evil.com/"}));
  EXPECT_TRUE(url->defanged);

  auto ip = NormalizeIndicator("1.2.3[.]4");
  ASSERT_TRUE(ip.has_value());
  EXPECT_EQ(ip->indicator, (Indicator{T::kIpv4, "1.2.3.4"}));
  EXPECT_TRUE(ip->defanged);

  EXPECT_EQ(Norm("HXXPS://Evil(.)com/x"), (Indicator{T::kUrl, "https://evil.com/x"}));
  EXPECT_EQ(Norm("evil{.}example[dot]com"), (Indicator{T::kDomain, "evil.example.com"}));
  EXPECT_EQ(Norm("hxxp[://]evil.com[:]8080/"), (Indicator{T::kUrl, "http://evil.com:8080/"}));
  EXPECT_EQ(Norm("hxxps://evil[.]com", T::kUrl), (Indicator{T::kUrl, "https://evil.com/"}));

  auto plain = NormalizeIndicator("evil.com");
  ASSERT_TRUE(plain.has_value());
  EXPECT_FALSE(plain->defanged);
}

TEST(NormalizeIndicatorTest, NestedDefangingIsUndoneCompletelySoNormalizationIsIdempotent) {
  // "[[:]]" refangs to "[:]", which must refang again (a fuzz finding): the stored form of an
  // indicator must normalize to itself, or lookups would miss what was stored.
  EXPECT_EQ(Norm("hxxp://evil[[.]]com/a[[:]]b").value, "http://evil.com/a:b");
  for (const char* text : {"hxxp://evil[[.]]com/a[[:]]b", "evil[[[.]]]example", "x.io/[(.)]"}) {
    auto first = NormalizeIndicator(text);
    if (!first) continue;
    auto second = NormalizeIndicator(first->indicator.value);
    ASSERT_TRUE(second.has_value()) << text;
    EXPECT_EQ(second->indicator, first->indicator) << text;
  }
}

TEST(NormalizeIndicatorTest, HxxpIsOnlyRefangedAsAScheme) {
  // Names that merely start with "hxxp" are names, not defanged URLs.
  auto name = NormalizeIndicator("hxxpress.example");
  ASSERT_TRUE(name.has_value());
  EXPECT_EQ(name->indicator, (Indicator{T::kDomain, "hxxpress.example"}));
  EXPECT_FALSE(name->defanged);
  EXPECT_EQ(Norm("hxxp.example"), (Indicator{T::kDomain, "hxxp.example"}));
}

TEST(NormalizeIndicatorTest, UrlNormalization) {
  // Scheme and host lower-cased; path, query kept byte for byte.
  EXPECT_EQ(Norm("HTTP://Example.COM/Path?Q=A").value, "http://example.com/Path?Q=A");
  // Default ports dropped, others kept.
  EXPECT_EQ(Norm("http://example.com:80/a").value, "http://example.com/a");
  EXPECT_EQ(Norm("https://example.com:443/a").value, "https://example.com/a");
  EXPECT_EQ(Norm("ftp://example.com:21/f").value, "ftp://example.com/f");
  EXPECT_EQ(Norm("http://example.com:443/a").value, "http://example.com:443/a");
  EXPECT_EQ(Norm("https://example.com:8443/a").value, "https://example.com:8443/a");
  EXPECT_EQ(Norm("http://example.com:08080/").value, "http://example.com:8080/");
  // Fragment dropped; empty path becomes "/".
  EXPECT_EQ(Norm("http://example.com/a#frag").value, "http://example.com/a");
  EXPECT_EQ(Norm("http://example.com#frag").value, "http://example.com/");
  EXPECT_EQ(Norm("http://example.com").value, "http://example.com/");
  EXPECT_EQ(Norm("http://example.com?x=1").value, "http://example.com/?x=1");
  EXPECT_EQ(Norm("http://example.com/a?b=c#d").value, "http://example.com/a?b=c");
  // Host trailing dot removed like any domain.
  EXPECT_EQ(Norm("http://example.com./").value, "http://example.com/");
}

TEST(NormalizeIndicatorTest, UrlHosts) {
  EXPECT_EQ(Norm("http://[2001:DB8::1]/x").value, "http://[2001:db8::1]/x");
  EXPECT_EQ(Norm("http://[2001:db8::1]:8080/").value, "http://[2001:db8::1]:8080/");
  EXPECT_EQ(Norm("http://[2001:db8::1]:80/").value, "http://[2001:db8::1]/");
  EXPECT_EQ(Norm("http://192.0.2.1:80/x").value, "http://192.0.2.1/x");
  EXPECT_EQ(Norm("http://user:Pass@Example.com/").value, "http://user:Pass@example.com/");
  EXPECT_EQ(Norm("http://a@b@Example.com/").value, "http://a@b@example.com/");
  EXPECT_EQ(Norm("http://bücher.example/ü").value, "http://xn--bcher-kva.example/ü");
}

TEST(UrlHostTest, HostWithoutUserPortPathQueryOrBrackets) {
  EXPECT_EQ(UrlHost("https://user:pw@Host.example:8443/a?b#c"), "Host.example");
  EXPECT_EQ(UrlHost("http://[2001:db8::1]:80/x"), "2001:db8::1");
  EXPECT_EQ(UrlHost("http://example.com?q=/x"), "example.com");
  EXPECT_EQ(UrlHost("http://example.com#frag"), "example.com");
  EXPECT_EQ(UrlHost("example.com/path"), "");
}

TEST(NormalizeIndicatorTest, InvalidUrls) {
  EXPECT_EQ(NormError("http://example.com:0/").message, "URL port is not a number in 1..65535");
  EXPECT_EQ(NormError("http://example.com:65536/").message, "URL port is not a number in 1..65535");
  EXPECT_EQ(NormError("http://example.com:http/").message, "URL port is not a number in 1..65535");
  EXPECT_EQ(NormError("http://[2001:db8::1/").message, "URL has an unclosed IPv6 bracket");
  EXPECT_EQ(NormError("http://[2001:db8::1]x/").message, "URL has junk after the IPv6 host");
  EXPECT_EQ(NormError("http://example.com/a b").message,
            "URL contains whitespace or control characters");
  EXPECT_EQ(NormError("ht tp://example.com/").message, "URL scheme has invalid characters");
  EXPECT_EQ(NormError("http://exa_mple..com/").message,
            "URL host is not a valid name or address: empty label in domain name");
  Error e = NormError("http://example.com:0/");
  EXPECT_EQ(e.context, "http://example.com:0/");
}

TEST(NormalizeIndicatorTest, HashesAreLowerCaseHex) {
  EXPECT_EQ(Norm("AbCdEf0123456789abcdef0123456789").value, "abcdef0123456789abcdef0123456789");
  // One character short of a sha1 is not a hash, and not a domain either.
  EXPECT_FALSE(NormalizeIndicator(std::string(39, 'a')).has_value());
  // Hash-length text with a non-hex character is not a hash.
  EXPECT_FALSE(NormalizeIndicator(std::string(31, 'a') + "g").has_value());
}

TEST(IndicatorHashTest, EqualIndicatorsHashEqualAndTypesDiffer) {
  IndicatorHash hash;
  Indicator a{T::kDomain, "example.com"};
  Indicator b{T::kDomain, "example.com"};
  Indicator url{T::kUrl, "example.com"};
  EXPECT_EQ(hash(a), hash(b));
  EXPECT_NE(hash(a), hash(url));
  std::unordered_set<Indicator, IndicatorHash> set = {a, b, url};
  EXPECT_EQ(set.size(), 2u);
}

}  // namespace
}  // namespace mamori
