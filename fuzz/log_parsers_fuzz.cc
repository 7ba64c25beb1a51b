// Every registered log format on arbitrary bytes: the first byte picks the format, the rest is
// read as lines through the LineReader (so gzip sniffing, CRLF and line caps are fuzzed too).
// A parser must never crash or hang; an event's views must point into the line or the parser's
// arena, and a malformed result must carry a reason.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "rse/ingest/line_reader.h"
#include "rse/ingest/log_parser.h"

using namespace mamori::rse::ingest;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto& formats = LogFormats();
  const auto& format = formats[data[0] % formats.size()];
  ParserOptions options;
  options.now = 1700000000;
  options.max_line_bytes = 4096;
  auto parser = MakeLogParser(format.name, options);
  if (!parser) abort();
  auto reader = LineReader::FromString(
      std::string(reinterpret_cast<const char*>(data + 1), size - 1), options.max_line_bytes);
  Event event;
  std::string_view line;
  bool too_long = false;
  while (true) {
    auto more = reader->Next(line, too_long);
    if (!more || !*more) break;
    if (line.size() > options.max_line_bytes) abort();
    event.Clear();
    event.raw = line;
    ParseResult result = (*parser)->Parse(line, event);
    if (result.outcome == ParseOutcome::kMalformed && result.reason.empty()) abort();
    if (result.outcome != ParseOutcome::kEvent) continue;
    // Touch every value so ASan sees a dangling view.
    size_t sum = 0;
    for (const auto& [name, value] : event.Fields()) {
      for (char c : value) sum += static_cast<unsigned char>(c);
    }
    (void)event.SourceAddress();
    if (sum == 1) asm volatile("");
  }
  return 0;
}
