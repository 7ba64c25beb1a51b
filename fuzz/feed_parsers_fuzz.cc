// Every feed parser on arbitrary bytes: the first byte picks the format, the rest is the body.
// A parser must never crash, hang or leak on hostile input; each entry it produces must be a
// normalized indicator (normalizing it again changes nothing).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "feeds/parser.h"

using namespace mamori;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const feeds::FeedFormat kFormats[] = {
      feeds::FeedFormat::kPlain,  feeds::FeedFormat::kHosts,      feeds::FeedFormat::kCsv,
      feeds::FeedFormat::kNetset, feeds::FeedFormat::kUrlhausCsv, feeds::FeedFormat::kMisp,
      feeds::FeedFormat::kStix,   feeds::FeedFormat::kTaxii};
  auto format = kFormats[data[0] % (sizeof kFormats / sizeof kFormats[0])];
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  auto parser = feeds::MakeParser(format, feeds::ParserOptions{});
  if (!parser) abort();
  feeds::ParsedFeed parsed;
  (void)(*parser)->Parse(body, "fuzz", parsed);
  feeds::Deduplicate(parsed);
  for (const auto& e : parsed.entries) {
    auto again = NormalizeIndicator(e.indicator.value, e.indicator.type);
    if (!again || again->indicator != e.indicator) abort();
  }
  return 0;
}
