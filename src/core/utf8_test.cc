#include "core/utf8.h"

#include <gtest/gtest.h>

namespace mamori {
namespace {

TEST(Utf8Test, RoundTripsEveryEncodedLength) {
  std::string text = "a\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80";  // a é 中 😀: 1, 2, 3 and 4 bytes
  std::u32string decoded = DecodeUtf8(text);
  ASSERT_EQ(decoded, (std::u32string{U'a', U'\u00E9', U'\u4E2D', U'\U0001F600'}));
  EXPECT_EQ(EncodeUtf8(decoded), text);
  EXPECT_FALSE(IsAscii(text));
  EXPECT_TRUE(IsAscii("paypal.com"));
}

TEST(Utf8Test, InvalidBytesBecomeReplacementCharacters) {
  std::u32string decoded = DecodeUtf8("a\xFF" "b\xC3");  // a stray byte, a truncated sequence
  ASSERT_EQ(decoded.size(), 4u);
  EXPECT_EQ(decoded[1], U'\uFFFD');
  EXPECT_EQ(decoded[2], U'b');
  EXPECT_EQ(decoded[3], U'\uFFFD');
}

}  // namespace
}  // namespace mamori
