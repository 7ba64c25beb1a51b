// mamori.toml parsing on arbitrary text: errors, never crashes.
#include <cstdint>
#include <string_view>

#include "core/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)mamori::ParseConfig(text, "fuzz.toml");
  return 0;
}
