// NormalizeIndicator on arbitrary text: never crashes, and normalization is idempotent — the
// stored form of an indicator normalizes to itself, so lookups always find what was stored.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/indicator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto first = mamori::NormalizeIndicator(text);
  if (!first) return 0;
  auto second = mamori::NormalizeIndicator(first->indicator.value);
  if (!second || second->indicator != first->indicator) abort();
  return 0;
}
