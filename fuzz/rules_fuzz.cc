// Detection rules (YAML, docs/formats/rules.md) from arbitrary bytes: loading never throws or
// crashes — an invalid rule becomes a RuleError with a reason — and whatever loads compiles
// into a RuleSet and matches an event without crashing.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "rse/detect/matcher.h"
#include "rse/detect/rule.h"

using namespace mamori::rse;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view yaml(reinterpret_cast<const char*>(data), size);
  detect::LoadResult loaded = detect::ParseRules(yaml, "fuzz.yml");
  for (const auto& e : loaded.errors) {
    if (e.reason.empty()) abort();
  }
  if (loaded.rules.empty()) return 0;
  auto set = detect::RuleSet::Compile(std::move(loaded.rules));
  if (!set) return 0;
  detect::Matcher matcher(*set);
  ingest::Event event;
  event.raw = "GET /index.php?id=1%27%20union%20select HTTP/1.1";
  event.Set(ingest::Field::kSourceIp, "203.0.113.7");
  event.Set(ingest::Field::kUrlOriginal, "/index.php?id=1' union select");
  event.Set(ingest::Field::kEventOutcome, "failure");
  (void)matcher.Match(event);
  for (const auto& rule : (*set)->rules()) (void)detect::ReferenceMatch(rule, event, nullptr);
  return 0;
}
