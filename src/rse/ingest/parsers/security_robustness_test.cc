// Hostile-input sweep over the security-log parsers (Suricata, ModSecurity, Zeek, CEF,
// FortiGate, PAN-OS): every prefix of a valid line and seeded random byte mutations must give a
// result — event, skip or malformed with a reason — and never crash. The libFuzzer target
// (fuzz/log_parsers_fuzz.cc) explores further; this runs in every `make test`.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "rse/ingest/parsers/security_test_util.h"

namespace mamori::rse::ingest {
namespace {

struct Sample {
  const char* format;
  std::string line;
};

std::vector<Sample> Samples() {
  return {
      {"suricata-eve",
       R"({"timestamp":"2024-01-01T12:00:00.123456+0000","event_type":"alert","src_ip":"10.0.0.1",)"
       R"("src_port":1,"dest_ip":"::1","dest_port":2,"proto":"TCP","alert":{"action":"blocked",)"
       R"("signature_id":1,"signature":"a\u00e9\"b"},"dns":{"queries":[{"rrname":"x"}]},)"
       R"("http":{"url":"\/x","status":200},"flow":{"bytes_toserver":1,"bytes_toclient":2}})"},
      {"modsecurity-json",
       R"({"transaction":{"client_ip":"1.2.3.4","time_stamp":"Wed Apr 23 22:15:00 2025",)"
       R"("request":{"method":"GET","uri":"/","headers":{"Host":"h"}},"response":{"http_code":)"
       R"(403},"messages":[{"message":"m","details":{"ruleId":"1","severity":"2","tags":)"
       R"(["attack-sqli"]}}]}})"},
      {"zeek-conn",
       "1600794358.094075\tC\t192.168.4.76\t46378\t31.3.245.133\t80\ttcp\thttp\t0.2\t77\t295\tSF"
       "\t-\t-\t0\tShADadFf\t6\t397\t4\t511\t(empty)"},
      {"zeek-dns", R"({"ts":1591367999.4,"id.orig_h":"10.0.0.5","query":"a.example"})"},
      {"cef",
       "<134>Jan 01 12:00:00 fw1 CEF:0|V\\|x|P|1|100|Name|5|src=1.2.3.4 act=blocked "
       "msg=a b\\=c rt=1704110400123"},
      {"fortigate", R"(<189>date=2024-01-01 time=12:00:00 type="utm" subtype="ips" srcip=1.2.3.4 )"
                    R"(action="dropped" msg="a \"b\"" attack="x")"},
      {"paloalto",
       "<14>Jul 13 20:39:44 PA 1,2017/07/13 20:39:44,0009,THREAT,url,1,2017/07/13 20:39:44,"
       "10.0.0.1,10.0.0.2,,,R,,,ssl,v,a,b,c,d,e,,1,1,1,443,0,0,0x0,tcp,block-url,"
       "\"x,\"\"y\",(9999),malware,informational"},
  };
}

TEST(SecurityParsersRobustness, PrefixesAndMutations) {
  std::mt19937_64 rng(8);
  for (const Sample& sample : Samples()) {
    testing::ParserHarness h(sample.format);
    ParseResult full = h.Parse(sample.line);
    EXPECT_EQ(full.outcome, ParseOutcome::kEvent) << sample.format << ": " << full.reason;
    for (size_t n = 0; n <= sample.line.size(); ++n) {
      ParseResult r = h.Parse(std::string_view(sample.line).substr(0, n));
      if (r.outcome == ParseOutcome::kMalformed) {
        EXPECT_FALSE(r.reason.empty()) << sample.format << " prefix " << n;
      }
    }
    for (int round = 0; round < 3000; ++round) {
      std::string mutated = sample.line;
      int edits = 1 + static_cast<int>(rng() % 4);
      for (int e = 0; e < edits; ++e) {
        size_t at = rng() % mutated.size();
        switch (rng() % 3) {
          case 0:
            mutated[at] = static_cast<char>(rng() % 256);
            break;
          case 1:
            mutated.erase(at, 1 + rng() % 8);
            break;
          default: {
            // JSON/CEF/CSV structure characters, NUL and a non-UTF-8 byte.
            static constexpr char kChars[] = "\"\\{}[],:=| \t\xff";
            mutated.insert(at, 1, kChars[rng() % sizeof(kChars)]);  // sizeof: the NUL too
            break;
          }
        }
        if (mutated.empty()) mutated = "x";
      }
      ParseResult r = h.Parse(mutated);
      if (r.outcome == ParseOutcome::kMalformed) {
        EXPECT_FALSE(r.reason.empty()) << sample.format << ": " << mutated;
      }
      // The event's views must be readable (ASan/valgrind catch dangling ones).
      for (const auto& [name, value] : h.event().Fields()) {
        volatile size_t sum = 0;
        for (char c : value) sum = sum + static_cast<unsigned char>(c);
        (void)name;
      }
    }
  }
}

}  // namespace
}  // namespace mamori::rse::ingest
