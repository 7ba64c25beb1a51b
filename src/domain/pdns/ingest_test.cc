#include "domain/pdns/ingest.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <tuple>

#include "core/domain_name.h"
#include "core/test_temp_dir.h"
#include "domain/pdns/aggregator.h"
#include "domain/pdns/rrtype.h"

namespace mamori::domain::pdns {
namespace {

using mamori::testing::TempDir;

PdnsRecord Obs(std::string name, uint16_t rrtype, std::string rdata, UnixSeconds first,
               UnixSeconds last, int64_t count) {
  return PdnsRecord{std::move(name), rrtype, std::move(rdata), first, last, count};
}

TEST(PdnsAggregatorTest, FoldsDuplicatesAndFlushesInBoundedBatches) {
  std::vector<std::vector<store::PdnsRrset>> batches;
  PdnsAggregator aggregator(
      [&](std::vector<store::PdnsRrset>& batch) -> Status {
        batches.push_back(batch);
        return Ok();
      },
      2);
  ASSERT_TRUE(aggregator.Add(Obs("www.example.co.uk", kTypeA, "192.0.2.1", 100, 200, 2)));
  ASSERT_TRUE(aggregator.Add(Obs("www.example.co.uk", kTypeA, "192.0.2.1", 50, 150, 3)));
  EXPECT_EQ(aggregator.pending(), 1u);
  // Same name and rdata, other type: another rrset; the batch is full and goes out.
  ASSERT_TRUE(aggregator.Add(Obs("www.example.co.uk", kTypeCname, "192.0.2.1", 10, 10, 1)));
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(aggregator.pending(), 0u);
  ASSERT_TRUE(aggregator.Add(Obs("x.y.blogspot.com", kTypeA, "192.0.2.1", 1, 1, 1)));
  ASSERT_TRUE(aggregator.Flush());
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(aggregator.flushed(), 3);

  std::map<uint16_t, store::PdnsRrset> first;
  for (const auto& rr : batches[0]) first[rr.rrtype] = rr;
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[kTypeA].name, "www.example.co.uk");
  EXPECT_EQ(first[kTypeA].registered, "example.co.uk");
  EXPECT_EQ(first[kTypeA].rdata, "192.0.2.1");
  EXPECT_EQ(first[kTypeA].first_seen, 50);
  EXPECT_EQ(first[kTypeA].last_seen, 200);
  EXPECT_EQ(first[kTypeA].count, 5);
  EXPECT_EQ(first[kTypeCname].count, 1);
  // The PSL's private section counts: blogspot.com is a public suffix.
  EXPECT_EQ(batches[1][0].registered, "y.blogspot.com");
}

// Many observations in random order against a plain map of the same fold: the interned table
// (rehashes included) loses nothing, and the batch comes sorted by (name, rrtype, rdata) with
// each name's registered domain.
TEST(PdnsAggregatorTest, InternedTableEqualsStringMapAndBatchIsSorted) {
  std::vector<store::PdnsRrset> out;
  PdnsAggregator aggregator([&](std::vector<store::PdnsRrset>& batch) -> Status {
    out.insert(out.end(), batch.begin(), batch.end());
    return Ok();
  });
  struct Fold {
    UnixSeconds first = INT64_MAX, last = INT64_MIN;
    int64_t count = 0;
  };
  std::map<std::tuple<std::string, uint16_t, std::string>, Fold> expected;
  uint64_t x = 12345;
  auto next = [&] { return x = x * 6364136223846793005ULL + 1442695040888963407ULL; };
  for (int i = 0; i < 200000; ++i) {
    std::string name = "h" + std::to_string(next() % 30000) + ".d" + std::to_string(next() % 50) +
                       (next() % 2 ? ".example.com" : ".co.uk");
    uint16_t type = next() % 3 == 0 ? kTypeAaaa : kTypeA;
    std::string rdata = "10.0." + std::to_string(next() % 200) + "." + std::to_string(next() % 3);
    auto first = static_cast<UnixSeconds>(next() % 1000);
    auto last = first + static_cast<UnixSeconds>(next() % 1000);
    int64_t count = static_cast<int64_t>(next() % 7) + 1;
    ASSERT_TRUE(aggregator.Add(Obs(name, type, rdata, first, last, count)));
    Fold& f = expected[{name, type, rdata}];
    f.first = std::min(f.first, first);
    f.last = std::max(f.last, last);
    f.count += count;
  }
  ASSERT_TRUE(aggregator.Flush());
  ASSERT_EQ(out.size(), expected.size());  // std::map order is the batch order
  size_t k = 0;
  for (const auto& [key, fold] : expected) {
    const store::PdnsRrset& rr = out[k++];
    ASSERT_EQ(std::tie(rr.name, rr.rrtype, rr.rdata), std::tie(std::get<0>(key), std::get<1>(key),
                                                               std::get<2>(key)));
    EXPECT_EQ(rr.first_seen, fold.first);
    EXPECT_EQ(rr.last_seen, fold.last);
    EXPECT_EQ(rr.count, fold.count);
    EXPECT_EQ(rr.registered, DomainName::Parse(rr.name)->RegisteredDomain().value_or(""))
        << rr.name;
  }
}

TEST(PdnsAggregatorTest, SinkErrorStops) {
  PdnsAggregator aggregator(
      [](std::vector<store::PdnsRrset>&) -> Status {
        return MakeError(ErrorCode::kIo, "disk full");
      },
      1);
  auto status = aggregator.Add(Obs("a.example.com", kTypeA, "192.0.2.1", 1, 1, 1));
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message, "disk full");
}

class PdnsIngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::OpenSqliteStore(dir_.File("mamori.db"));
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = dir_.File(name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  TempDir dir_;
  std::unique_ptr<store::Store> store_;
};

// A DNSDB export as `dnsdb_query -j` writes it, with a duplicate rrset across lines, a
// malformed line and an unknown type.
constexpr const char* kDnsdb =
    R"({"count":17,"time_first":1380139330,"time_last":1381244300,"rrname":"www.example.com.","rrtype":"A","bailiwick":"example.com.","rdata":["93.184.216.34"]})"
    "\n"
    R"({"count":5,"time_first":1370000000,"time_last":1380000000,"rrname":"www.example.com.","rrtype":"A","bailiwick":"example.com.","rdata":["93.184.216.34","93.184.216.35"]})"
    "\n"
    R"({"count":9,"time_first":1380000000,"time_last":1390000000,"rrname":"example.com.","rrtype":"NS","bailiwick":"com.","rdata":["a.iana-servers.net.","b.iana-servers.net."]})"
    "\n"
    R"({"count":2,"time_first":1380000000,"time_last":1390000000,"rrname":"mail.example.com.","rrtype":"MX","bailiwick":"example.com.","rdata":["10 smtp.example.net."]})"
    "\n"
    R"({"count":1,"time_first":1,"time_last":2,"rrname":"other.example.org.","rrtype":"A","bailiwick":"example.org.","rdata":"93.184.216.34"})"
    "\n"
    R"({"count":1,"time_first":1,"time_last":2,"rrname":"x.example.org.","rrtype":"NOPE","rdata":"?"})"
    "\n"
    "garbage\n";

TEST_F(PdnsIngestTest, DnsdbFileEndToEndAndReingestDoublesCountsNotRows) {
  std::string path = Write("dnsdb.json", kDnsdb);
  for (int round = 1; round <= 2; ++round) {
    auto report = IngestPdnsFile(*store_, path, "dnsdb", {}, /*flush_at=*/3);
    ASSERT_TRUE(report) << report.error().ToString();
    EXPECT_EQ(report->format, "dnsdb");
    EXPECT_EQ(report->lines, 7);
    EXPECT_EQ(report->records, 7);
    EXPECT_EQ(report->malformed, 1);
    EXPECT_EQ(report->ignored, 1);
    ASSERT_EQ(report->errors.size(), 1u);
    EXPECT_EQ(report->errors[0].rfind(path + ":7: not JSON", 0), 0u) << report->errors[0];
    EXPECT_GE(report->stored, 6);  // six distinct rrsets (a batch split may merge one twice)

    auto www = store_->PdnsByName("www.example.com");
    ASSERT_TRUE(www) << www.error().ToString();
    ASSERT_EQ(www->size(), 2u);
    EXPECT_EQ((*www)[0].rdata, "93.184.216.34");
    EXPECT_EQ((*www)[0].registered, "example.com");
    EXPECT_EQ((*www)[0].first_seen, 1370000000);
    EXPECT_EQ((*www)[0].last_seen, 1381244300);
    EXPECT_EQ((*www)[0].count, 22 * round);
    EXPECT_EQ((*www)[1].count, 5 * round);
  }
  int rows = 0;
  ASSERT_TRUE(store_->ForEachPdns([&](const store::PdnsRrset&) {
    ++rows;
    return true;
  }));
  EXPECT_EQ(rows, 6);

  auto registered = store_->PdnsByRegistered("example.com");
  ASSERT_TRUE(registered);
  EXPECT_EQ(registered->size(), 5u);
  auto shared = store_->PdnsByRdata("93.184.216.34", 10);
  ASSERT_TRUE(shared);
  ASSERT_EQ(shared->size(), 2u);
  auto mx = store_->PdnsByRdata("smtp.example.net", 10);
  ASSERT_TRUE(mx && mx->size() == 1);
  EXPECT_EQ((*mx)[0].rrtype, kTypeMx);
}

TEST_F(PdnsIngestTest, ZeekJsonEndToEnd) {
  std::string path = Write(
      "dns.json",
      R"({"ts":1591367999.3,"query":"www.example.com","qtype":1,"rcode":0,"answers":["192.0.2.10"]})"
      "\n"
      R"({"ts":1591368999.3,"query":"www.example.com","qtype":1,"rcode":0,"answers":["192.0.2.10"]})"
      "\n"
      R"({"ts":1591369999.3,"query":"no.example.com","qtype":1,"rcode":3,"rcode_name":"NXDOMAIN"})"
      "\n");
  auto report = IngestPdnsFile(*store_, path, "zeek", {});
  ASSERT_TRUE(report) << report.error().ToString();
  EXPECT_EQ(report->records, 2);
  EXPECT_EQ(report->ignored, 1);
  EXPECT_EQ(report->stored, 1);
  auto rows = store_->PdnsByName("www.example.com");
  ASSERT_TRUE(rows && rows->size() == 1);
  EXPECT_EQ((*rows)[0].first_seen, 1591367999);
  EXPECT_EQ((*rows)[0].last_seen, 1591368999);
  EXPECT_EQ((*rows)[0].count, 2);
  auto none = store_->PdnsByName("no.example.com");
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST_F(PdnsIngestTest, BadFormatOrFileFailsWithoutWriting) {
  EXPECT_FALSE(IngestPdnsFile(*store_, dir_.File("missing"), "dnsdb", {}));
  auto format = IngestPdnsFile(*store_, Write("x.json", kDnsdb), "farsight", {});
  ASSERT_FALSE(format);
  EXPECT_EQ(format.error().code, ErrorCode::kInvalidArgument);
  int rows = 0;
  ASSERT_TRUE(store_->ForEachPdns([&](const store::PdnsRrset&) { return ++rows > 0; }));
  EXPECT_EQ(rows, 0);
}

}  // namespace
}  // namespace mamori::domain::pdns
