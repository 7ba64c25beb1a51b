#include "domain/lifecycle/rdap_reader.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "domain/lifecycle/internal/test_files.h"
#include "domain/lifecycle/source_file.h"

namespace mamori::domain::lifecycle {
namespace {

using testing::WriteFile;

// Shaped like a gTLD registry's RDAP response (RFC 9083 with the ICANN gTLD profile).
constexpr const char* kResponse = R"({
  "objectClassName": "domain",
  "ldhName": "EXAMPLE.COM",
  "status": ["client delete prohibited", "client transfer prohibited"],
  "events": [
    {"eventAction": "registration", "eventDate": "1995-08-14T04:00:00Z"},
    {"eventAction": "expiration", "eventDate": "2026-08-13T04:00:00Z"},
    {"eventAction": "last changed", "eventDate": "2025-08-14T07:01:34Z"},
    {"eventAction": "last update of RDAP database", "eventDate": "2026-01-05T10:00:00Z"}
  ],
  "entities": [{
    "objectClassName": "entity",
    "roles": ["registrar"],
    "publicIds": [{"type": "IANA Registrar ID", "identifier": "376"}],
    "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "RESERVED-IANA"]]],
    "entities": [{
      "objectClassName": "entity",
      "roles": ["abuse"],
      "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", ""],
                               ["email", {}, "text", "Abuse@IANA.org"]]]
    }]
  }],
  "nameservers": [
    {"objectClassName": "nameserver", "ldhName": "A.IANA-SERVERS.NET."},
    {"objectClassName": "nameserver", "ldhName": "B.IANA-SERVERS.NET"}
  ]
})";

TEST(RdapReader, ReadsTheRegistrationFieldsOfADomainObject) {
  auto got = RegistrationFromRdap(nlohmann::json::parse(kResponse), 1'000);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->domain, "example.com");
  EXPECT_EQ(got->observed_at, 1'000);
  EXPECT_EQ(got->created, ParseTimestamp("1995-08-14T04:00:00Z"));
  EXPECT_EQ(got->expires, ParseTimestamp("2026-08-13T04:00:00Z"));
  EXPECT_EQ(got->updated, ParseTimestamp("2025-08-14T07:01:34Z"));
  EXPECT_EQ(got->registrar, "RESERVED-IANA");
  EXPECT_EQ(got->registrar_iana, "376");
  EXPECT_EQ(got->abuse_email, "abuse@iana.org");
  EXPECT_EQ(got->nameservers,
            (std::vector<std::string>{"a.iana-servers.net", "b.iana-servers.net"}));
  EXPECT_EQ(got->statuses, (std::vector<std::string>{"client delete prohibited",
                                                     "client transfer prohibited"}));
}

TEST(RdapReader, ObservedAtMemberOverridesTheDefaultAndIsRequiredWithoutOne) {
  auto doc = nlohmann::json::parse(kResponse);
  doc["events"].erase(3);  // no "last update of RDAP database" either
  EXPECT_FALSE(RegistrationFromRdap(doc, std::nullopt));
  doc["mamori_observed_at"] = 1'767'600'000;
  auto got = RegistrationFromRdap(doc, 5);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->observed_at, 1'767'600'000);
  doc["mamori_observed_at"] = "yesterday";
  EXPECT_FALSE(RegistrationFromRdap(doc, 5));
}

TEST(RdapReader, TheDatabaseUpdateEventRefinesTheDayWhenItFallsOnIt) {
  auto doc = nlohmann::json::parse(kResponse);  // database updated 2026-01-05T10:00:00Z
  UnixSeconds day_start = DayStart(*ParseDay("2026-01-05"));
  EXPECT_EQ(RegistrationFromRdap(doc, day_start)->observed_at,
            ParseTimestamp("2026-01-05T10:00:00Z"));
  EXPECT_EQ(RegistrationFromRdap(doc, day_start + 86400)->observed_at, day_start + 86400);
  EXPECT_EQ(RegistrationFromRdap(doc, std::nullopt)->observed_at,
            ParseTimestamp("2026-01-05T10:00:00Z"));
}

TEST(RdapReader, OneDocumentPerFileTakesTheDayFromTheFileName) {
  mamori::testing::TempDir dir;
  auto path = WriteFile(dir, "example.com-2026-01-06.json", kResponse);
  ingest::IngestReport report;
  auto got = ReadRdapFile(path, {}, report);
  ASSERT_TRUE(got) << got.error().ToString();
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].observed_at, DayStart(*ParseDay("2026-01-06")));
  EXPECT_EQ(report.lines, 1);
  EXPECT_EQ(report.records, 1);
}

TEST(RdapReader, JsonLinesReportBadLinesByNumber) {
  mamori::testing::TempDir dir;
  auto one_line = nlohmann::json::parse(kResponse);
  one_line["mamori_observed_at"] = 100;
  std::string text = one_line.dump() + "\n" +
                     "{\"objectClassName\": \"entity\"}\n" +
                     "{\"errorCode\": 404, \"title\": \"Not Found\"}\n" +
                     "{not json\n" + "\n" +
                     R"({"objectClassName": "domain", "ldhName": "x..com"})" + "\n" +
                     R"({"objectClassName": "domain", "ldhName": "b.net"})" + "\n";
  auto path = WriteFile(dir, "rdap.jsonl", text);
  ingest::IngestReport report;
  auto got = ReadRdapFile(path, {}, report);
  ASSERT_TRUE(got) << got.error().ToString();
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].observed_at, 100);
  EXPECT_EQ(report.lines, 7);
  EXPECT_EQ(report.ignored, 1);
  ASSERT_EQ(report.errors.size(), 5u);
  EXPECT_EQ(report.errors[0], path + ":2: objectClassName is 'entity', not 'domain'");
  EXPECT_NE(report.errors[1].find(":3: an RDAP error response (errorCode 404)"),
            std::string::npos);
  EXPECT_EQ(report.errors[2], path + ":4: not valid JSON");
  EXPECT_NE(report.errors[3].find(":6: invalid ldhName 'x..com'"), std::string::npos);
  EXPECT_NE(report.errors[4].find(":7: no observation time"), std::string::npos);
}

TEST(RdapReader, ABrokenSingleDocumentRefusesTheFile) {
  mamori::testing::TempDir dir;
  auto path = WriteFile(dir, "x-2026-01-05.json", "{\n  \"objectClassName\": \"domain\",\n");
  ingest::IngestReport report;
  EXPECT_FALSE(ReadRdapFile(path, {}, report));
}

// `mamori sim domains` writes an empty file for a day without registrations; a crawl may too.
TEST(RdapReader, AnEmptyOrBlankFileHasNoObservationsAndNoError) {
  mamori::testing::TempDir dir;
  for (const char* text : {"", "\n  \n\r\n"}) {
    auto path = WriteFile(dir, "rdap-2026-01-05.jsonl", text);
    ingest::IngestReport report;
    auto r = ReadRdapFile(path, {}, report);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_TRUE(r->empty());
    EXPECT_TRUE(report.errors.empty());
  }
}

}  // namespace
}  // namespace mamori::domain::lifecycle
