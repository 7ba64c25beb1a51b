// Sized arrays with transparent-huge-page advice (core/huge_pages.h) for the selector's big,
// short-lived buffers.
//
// Why every buffer gets it: on the VMs the issue-4 benchmark runs on, a first-touch fault of a
// 4 KiB page costs ~40 µs (11,500 faults took 0.5 s while filling 13 MB of index lists), so a
// selection over 5M candidates spent more time faulting than computing. 2 MiB pages take 512×
// fewer faults.
#pragma once

#include <cstddef>
#include <vector>

#include "core/huge_pages.h"

namespace mamori::rse::blocklist::internal {

// v = n copies of `value`, in memory advised for huge pages before it is first written.
template <typename T>
void AssignHuge(std::vector<T>& v, size_t n, const T& value = T{}) {
  ReserveHuge(v, n);
  v.assign(n, value);
}

template <typename T>
std::vector<T> HugeVector(size_t n, const T& value = T{}) {
  std::vector<T> v;
  AssignHuge(v, n, value);
  return v;
}

}  // namespace mamori::rse::blocklist::internal
