// Syslog TCP framing (RFC 6587) on arbitrary bytes split at arbitrary points: the first byte sets
// the message size cap, the second the chunk size. The framer must never crash, never hand out a
// message longer than its cap, and frame the stream the same however it is split.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "rse/collect/syslog_framing.h"

using mamori::rse::collect::SyslogFramer;

namespace {

struct Result {
  std::vector<std::string> messages;
  bool error = false;
};

Result Frame(std::string_view data, size_t max, size_t chunk) {
  SyslogFramer framer(max);
  Result r;
  auto sink = [&](std::string_view text, bool) {
    if (text.size() > max) abort();
    r.messages.emplace_back(text);
    return true;
  };
  for (size_t i = 0; i < data.size() && !r.error; i += chunk) {
    auto fed = framer.Feed(data.substr(i, chunk), sink);
    if (!fed) r.error = true;
  }
  if (!r.error && !framer.Finish(sink)) r.error = true;
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  size_t max = 1 + data[0] % 64;
  size_t chunk = 1 + data[1] % 16;
  std::string_view stream(reinterpret_cast<const char*>(data + 2), size - 2);
  Result whole = Frame(stream, max, stream.size() + 1);
  Result split = Frame(stream, max, chunk);
  // An error ends the connection, so only error-free streams must agree message for message.
  if (!whole.error && !split.error && whole.messages != split.messages) abort();
  if (whole.error != split.error) abort();
  return 0;
}
