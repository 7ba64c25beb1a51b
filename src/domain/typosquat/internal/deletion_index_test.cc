#include "domain/typosquat/internal/deletion_index.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace mamori::domain::internal {
namespace {

// Every string made from `s` by deleting up to `k` bytes, built the plain way.
void PlainDeletions(const std::string& s, int k, std::set<std::string>& out) {
  if (!out.insert(s).second || k == 0) return;
  for (size_t i = 0; i < s.size(); ++i) PlainDeletions(s.substr(0, i) + s.substr(i + 1), k - 1, out);
}

std::set<uint64_t> Hashes(std::string_view s, int k) {
  std::set<uint64_t> out;
  ForEachDeletionHash(s, k, [&](uint64_t h) { out.insert(h); });
  return out;
}

TEST(DeletionIndex, DerivedHashesAreTheHashesOfTheDeletions) {
  const std::vector<std::string> words = {"", "a", "ab", "aab", "paypal", "microsoftonline",
                                          "g\xC3\xBC" "cher", "stackoverflow", "aaaaaaaa",
                                          std::string(300, 'x') + "yz"};
  for (const auto& w : words) {
    for (int k = 0; k <= 2; ++k) {
      std::set<std::string> plain;
      PlainDeletions(w, k, plain);
      std::set<uint64_t> expected;
      for (const auto& d : plain) expected.insert(DeletionHash(d));
      EXPECT_EQ(Hashes(w, k), expected) << w.substr(0, 20) << " k=" << k;
    }
  }
}

TEST(DeletionIndex, HashesTellStringsApart) {
  // Same letters, other order or length: the index must not merge these.
  EXPECT_NE(DeletionHash("ab"), DeletionHash("ba"));
  EXPECT_NE(DeletionHash("a"), DeletionHash("aa"));
  EXPECT_NE(DeletionHash(""), DeletionHash(std::string(1, '\0')));
  EXPECT_NE(DeletionHash(""), 0u);
}

TEST(DeletionIndex, FindsWhatWasAddedInOrderOnce) {
  DeletionIndex index;
  index.Add("paypal", 3);
  index.Add("paypal", 1);
  index.Add("paypal", 3);  // once per id
  index.Add("paypl", 3);
  index.Finish();
  EXPECT_EQ(index.size(), 2u);
  auto ids = index.Find(DeletionHash("paypal"));
  EXPECT_EQ(std::vector<uint32_t>(ids.begin(), ids.end()), (std::vector<uint32_t>{3, 1}));
  ids = index.Find(DeletionHash("paypl"));
  EXPECT_EQ(std::vector<uint32_t>(ids.begin(), ids.end()), (std::vector<uint32_t>{3}));
  EXPECT_TRUE(index.Find(DeletionHash("google")).empty());
  EXPECT_TRUE(DeletionIndex().Find(DeletionHash("paypal")).empty());
}

}  // namespace
}  // namespace mamori::domain::internal
