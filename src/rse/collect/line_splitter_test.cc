#include "rse/collect/line_splitter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mamori::rse::collect {
namespace {

struct Out {
  std::vector<std::string> lines;
  std::vector<uint64_t> ends;
  std::vector<bool> cut;
};

auto Sink(Out& out) {
  return [&out](std::string_view line, uint64_t end, bool too_long) {
    out.lines.emplace_back(line);
    out.ends.push_back(end);
    out.cut.push_back(too_long);
  };
}

TEST(LineSplitterTest, LinesAcrossPiecesWithOffsets) {
  LineSplitter s(100, 10);
  Out out;
  s.Feed("ab", Sink(out));
  EXPECT_TRUE(out.lines.empty());
  EXPECT_TRUE(s.has_partial());
  s.Feed("c\nd\r\ne", Sink(out));
  EXPECT_EQ(out.lines, (std::vector<std::string>{"abc", "d"}));
  EXPECT_EQ(out.ends, (std::vector<uint64_t>{14, 17}));
  EXPECT_EQ(s.line_start(), 17u);
  EXPECT_EQ(s.offset(), 18u);
  EXPECT_TRUE(s.Flush(Sink(out)));
  EXPECT_EQ(out.lines.back(), "e");
  EXPECT_EQ(out.ends.back(), 18u);
  EXPECT_FALSE(s.Flush(Sink(out)));
}

TEST(LineSplitterTest, CutLineIsDeliveredAtItsNewline) {
  LineSplitter s(4);
  Out out;
  s.Feed("abcdefgh", Sink(out));
  s.Feed("ijk", Sink(out));
  EXPECT_TRUE(out.lines.empty());
  s.Feed("\nxy\n", Sink(out));
  EXPECT_EQ(out.lines, (std::vector<std::string>{"abcd", "xy"}));
  EXPECT_EQ(out.cut, (std::vector<bool>{true, false}));
  EXPECT_EQ(out.ends, (std::vector<uint64_t>{12, 15}));
}

TEST(LineSplitterTest, CutInOnePieceAndExactCapWithCr) {
  LineSplitter s(3);
  Out out;
  s.Feed("abcdef\nabc\r\nab\r\n", Sink(out));
  EXPECT_EQ(out.lines, (std::vector<std::string>{"abc", "abc", "ab"}));
  EXPECT_EQ(out.cut, (std::vector<bool>{true, false, false}));
}

TEST(LineSplitterTest, ResetForgetsThePartialLine) {
  LineSplitter s(10);
  Out out;
  s.Feed("partial", Sink(out));
  s.Reset(0);
  s.Feed("x\n", Sink(out));
  EXPECT_EQ(out.lines, std::vector<std::string>{"x"});
  EXPECT_EQ(out.ends, std::vector<uint64_t>{2});
}

}  // namespace
}  // namespace mamori::rse::collect
