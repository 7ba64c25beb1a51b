#include "rse/collect/syslog_framing.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mamori::rse::collect {
namespace {

using namespace std::string_literals;

struct Framed {
  std::vector<std::string> messages;
  std::vector<bool> truncated;
};

SyslogFramer::OnMessage Sink(Framed& out) {
  return [&out](std::string_view text, bool truncated) {
    out.messages.emplace_back(text);
    out.truncated.push_back(truncated);
    return true;
  };
}

using Msgs = std::vector<std::string>;

// Feeds `data` whole, then again one byte at a time: the framing must not depend on how TCP
// splits the stream.
void ExpectFramed(const std::string& data, const Msgs& expected, size_t max = 1024) {
  {
    SyslogFramer framer(max);
    Framed out;
    auto consumed = framer.Feed(data, Sink(out));
    ASSERT_TRUE(consumed) << consumed.error().message;
    EXPECT_EQ(*consumed, data.size());
    ASSERT_TRUE(framer.Finish(Sink(out)));
    EXPECT_EQ(out.messages, expected) << "whole";
  }
  SyslogFramer framer(max);
  Framed out;
  for (char c : data) ASSERT_TRUE(framer.Feed(std::string_view(&c, 1), Sink(out)));
  ASSERT_TRUE(framer.Finish(Sink(out)));
  EXPECT_EQ(out.messages, expected) << "byte by byte";
}

TEST(SyslogFramingTest, OctetCounted) {
  ExpectFramed("11 <13>hello a21 <13>line\nwith newline",
               Msgs{"<13>hello a", "<13>line\nwith newline"});
}

TEST(SyslogFramingTest, NonTransparentLfAndNul) {
  ExpectFramed("<13>one\n<13>two\r\n<13>three\0<13>four\n"s,
               Msgs{"<13>one", "<13>two", "<13>three", "<13>four"});
}

TEST(SyslogFramingTest, MixedPerMessageAndDigitsThatAreNotALength) {
  ExpectFramed("5 <13>a<13>b\n2024-01-01 x\n12345\n7 <13>end\n",
               Msgs{"<13>a", "<13>b", "2024-01-01 x", "12345", "<13>end"});
}

TEST(SyslogFramingTest, UnterminatedLastMessageIsDeliveredAtClose) {
  ExpectFramed("<13>a\n<13>tail", Msgs{"<13>a", "<13>tail"});
}

TEST(SyslogFramingTest, SeparatorsAndEmptyMessagesSkipped) {
  ExpectFramed("\n\r\n3 abc\n\n4 defg\n", Msgs{"abc", "defg"});
}

TEST(SyslogFramingTest, OversizedOctetCountedIsCutAndFramingStaysInStep) {
  SyslogFramer framer(4);
  Framed out;
  ASSERT_TRUE(framer.Feed("10 0123456789", Sink(out)));
  ASSERT_TRUE(framer.Feed("3 abc", Sink(out)));
  EXPECT_EQ(out.messages, (Msgs{"0123", "abc"}));
  EXPECT_EQ(out.truncated, (std::vector<bool>{true, false}));
}

TEST(SyslogFramingTest, OversizedNonTransparentIsCutAtItsNewline) {
  SyslogFramer framer(4);
  Framed out;
  ASSERT_TRUE(framer.Feed("<13>abcdefgh", Sink(out)));
  EXPECT_TRUE(out.messages.empty());
  ASSERT_TRUE(framer.Feed("ij\n<1>x\n", Sink(out)));
  EXPECT_EQ(out.messages, (Msgs{"<13>", "<1>x"}));
  EXPECT_EQ(out.truncated, (std::vector<bool>{true, false}));
}

TEST(SyslogFramingTest, BadOctetCountsAreErrors) {
  for (std::string bad : {"0 x", "1234567890 x"}) {
    SyslogFramer framer(1024);
    Framed out;
    auto consumed = framer.Feed(bad, Sink(out));
    ASSERT_FALSE(consumed) << bad;
    EXPECT_NE(consumed.error().message.find("octet count"), std::string::npos);
  }
}

TEST(SyslogFramingTest, EndingInsideAnOctetCountedMessageIsAnError) {
  SyslogFramer framer(1024);
  Framed out;
  ASSERT_TRUE(framer.Feed("10 abc", Sink(out)));
  EXPECT_FALSE(framer.Finish(Sink(out)));
  EXPECT_TRUE(out.messages.empty());
  // Reset: usable again.
  ASSERT_TRUE(framer.Feed("3 abc", Sink(out)));
  EXPECT_EQ(out.messages, Msgs{"abc"});
}

TEST(SyslogFramingTest, StopsAfterARefusedMessage) {
  SyslogFramer framer(1024);
  Msgs got;
  int accept = 1;
  auto sink = [&](std::string_view text, bool) {
    got.emplace_back(text);
    return accept-- > 0;
  };
  std::string data = "1 a1 b1 c";
  auto consumed = framer.Feed(data, sink);
  ASSERT_TRUE(consumed);
  EXPECT_EQ(*consumed, 6u);  // "1 a" accepted, "1 b" refused (the caller holds it)
  EXPECT_EQ(got, (Msgs{"a", "b"}));
  accept = 10;
  ASSERT_TRUE(framer.Feed(std::string_view(data).substr(*consumed), sink));
  EXPECT_EQ(got, (Msgs{"a", "b", "c"}));
  EXPECT_EQ(framer.octet_counted(), 3u);
}

}  // namespace
}  // namespace mamori::rse::collect
