#include "core/error.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace mamori {
namespace {

TEST(ErrorTest, ToStringWithAndWithoutContext) {
  Error with{ErrorCode::kInvalidArgument, "bad octet", "feeds/abuse.txt:17"};
  EXPECT_EQ(with.ToString(), "feeds/abuse.txt:17: bad octet");
  Error without{ErrorCode::kIo, "disk full", ""};
  EXPECT_EQ(without.ToString(), "disk full");
}

TEST(ErrorTest, WithContextPrefixesOuterContext) {
  Error inner{ErrorCode::kCorrupt, "bad header", "line 3"};
  Error outer = inner.WithContext("feed 'spamhaus'");
  EXPECT_EQ(outer.context, "feed 'spamhaus': line 3");
  EXPECT_EQ(outer.message, "bad header");
  EXPECT_EQ(outer.code, ErrorCode::kCorrupt);
  EXPECT_EQ(outer.ToString(), "feed 'spamhaus': line 3: bad header");
  // The original is untouched.
  EXPECT_EQ(inner.context, "line 3");

  Error bare{ErrorCode::kNotFound, "no such source", ""};
  EXPECT_EQ(bare.WithContext("mamori.toml").ToString(), "mamori.toml: no such source");
}

TEST(ErrorTest, CodeNames) {
  EXPECT_EQ(ErrorCodeName(ErrorCode::kInvalidArgument), "invalid_argument");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kNotFound), "not_found");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kAlreadyExists), "already_exists");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kIo), "io");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kCorrupt), "corrupt");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kBusy), "busy");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kNetwork), "network");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kTimeout), "timeout");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kTooLarge), "too_large");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kUnsupported), "unsupported");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kRejected), "rejected");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kInternal), "internal");
}

TEST(ErrorTest, MakeErrorAndOk) {
  Expected<int> e = MakeError(ErrorCode::kTimeout, "took too long", "https://x.example/feed");
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().code, ErrorCode::kTimeout);
  EXPECT_EQ(e.error().message, "took too long");
  EXPECT_EQ(e.error().context, "https://x.example/feed");
  Status ok = Ok();
  EXPECT_TRUE(ok.has_value());
}

Expected<int> Half(int x) {
  if (x % 2 != 0) return MakeError(ErrorCode::kInvalidArgument, "odd", std::to_string(x));
  return x / 2;
}

Expected<int> Quarter(int x) {
  MAMORI_ASSIGN_OR_RETURN(int half, Half(x));
  MAMORI_ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

TEST(ErrorTest, AssignOrReturnPropagatesValueAndError) {
  ASSERT_TRUE(Quarter(12).has_value());
  EXPECT_EQ(*Quarter(12), 3);
  auto odd_first = Quarter(7);
  ASSERT_FALSE(odd_first.has_value());
  EXPECT_EQ(odd_first.error().context, "7");
  auto odd_second = Quarter(6);  // 6 -> 3, and 3 is odd
  ASSERT_FALSE(odd_second.has_value());
  EXPECT_EQ(odd_second.error().context, "3");
  EXPECT_EQ(odd_second.error().message, "odd");
}

// Move-only values must move through the macro, not be copied.
Expected<std::unique_ptr<int>> MakeBox(int v) { return std::make_unique<int>(v); }

Expected<int> Unbox() {
  MAMORI_ASSIGN_OR_RETURN(auto box, MakeBox(41));
  return *box + 1;
}

TEST(ErrorTest, AssignOrReturnMovesMoveOnlyValues) {
  ASSERT_TRUE(Unbox().has_value());
  EXPECT_EQ(*Unbox(), 42);
}

Status Check(int x) {
  if (x < 0) return MakeError(ErrorCode::kRejected, "negative");
  return Ok();
}

int calls_after_check = 0;

Status CheckBoth(int a, int b) {
  MAMORI_RETURN_IF_ERROR(Check(a));
  MAMORI_RETURN_IF_ERROR(Half(b));  // works on Expected<T> too
  ++calls_after_check;
  return Ok();
}

TEST(ErrorTest, ReturnIfErrorStopsAtFirstError) {
  calls_after_check = 0;
  EXPECT_TRUE(CheckBoth(1, 2).has_value());
  EXPECT_EQ(calls_after_check, 1);

  auto negative = CheckBoth(-1, 2);
  ASSERT_FALSE(negative.has_value());
  EXPECT_EQ(negative.error().code, ErrorCode::kRejected);
  EXPECT_EQ(negative.error().message, "negative");

  auto odd = CheckBoth(1, 3);
  ASSERT_FALSE(odd.has_value());
  EXPECT_EQ(odd.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(calls_after_check, 1);
}

// The macro must behave as a single statement in an unbraced if/else.
Status Dangling(bool check, int x) {
  if (check)
    MAMORI_RETURN_IF_ERROR(Check(x));
  else
    return MakeError(ErrorCode::kInternal, "not checked");
  return Ok();
}

TEST(ErrorTest, ReturnIfErrorIsOneStatement) {
  EXPECT_TRUE(Dangling(true, 1).has_value());
  EXPECT_EQ(Dangling(true, -1).error().code, ErrorCode::kRejected);
  EXPECT_EQ(Dangling(false, 1).error().code, ErrorCode::kInternal);
}

}  // namespace
}  // namespace mamori
