// ZeroedTable: a zero-filled array of integers for the aggregator's hash tables, backed by
// transparent huge pages where the kernel offers them (madvise mode). The tables are hundreds of
// megabytes read at random: with 4 KiB pages nearly every probe is also a TLB miss.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mamori::domain::pdns::internal {

// Asks for huge pages on the whole 2 MiB pages inside [data, data + bytes).
inline void AdviseHugePages(const void* data, size_t bytes) {
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  const auto begin = reinterpret_cast<uintptr_t>(data);
  const uintptr_t first = (begin + kHuge - 1) & ~(kHuge - 1);
  const uintptr_t last = (begin + bytes) & ~(kHuge - 1);
  if (last > first) madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
}

// Replaces `table` with `size` zeros, asking for huge pages before the memory is first touched
// (advice only: without THP the table is the same, on small pages).
template <typename T>
void AssignZeroed(std::vector<T>& table, size_t size) {
  std::vector<T>().swap(table);
  table.reserve(size);
  AdviseHugePages(table.data(), size * sizeof(T));
  table.resize(size, T{0});
}

}  // namespace mamori::domain::pdns::internal
