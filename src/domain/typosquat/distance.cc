#include "domain/typosquat/distance.h"

#include <algorithm>
#include <array>
#include <vector>

namespace mamori::domain {

int BoundedDamerauLevenshtein(std::string_view a, std::string_view b, int bound) {
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  if (std::abs(n - m) > bound) return bound + 1;
  if (n == 0 || m == 0) return std::max(n, m) <= bound ? std::max(n, m) : bound + 1;
  // Three rows of the DP table; labels are at most 63 octets, so they fit on the stack.
  constexpr int kMax = 256;
  if (n >= kMax || m >= kMax) return bound + 1;
  // The rows rotate by pointer: swapping the arrays themselves copied 3 KB per row. Only the
  // first m + 1 cells are ever read, so only those are initialized.
  std::array<int, kMax> rows[3];
  int* prev2 = rows[0].data();
  int* prev = rows[1].data();
  int* cur = rows[2].data();
  for (int j = 0; j <= m; ++j) prev2[j] = 0;
  for (int j = 0; j <= m; ++j) prev[j] = j;
  for (int i = 1; i <= n; ++i) {
    cur[0] = i;
    int row_min = cur[0];
    for (int j = 1; j <= m; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        v = std::min(v, prev2[j - 2] + 1);
      }
      cur[j] = v;
      row_min = std::min(row_min, v);
    }
    if (row_min > bound) return bound + 1;
    int* const oldest = prev2;
    prev2 = prev;
    prev = cur;
    cur = oldest;
  }
  return prev[m] <= bound ? prev[m] : bound + 1;
}

}  // namespace mamori::domain
