#include "domain/reputation/category_evidence.h"

#include <gtest/gtest.h>

#include "domain/category/categorizer.h"
#include "domain/category/service_lists.h"
#include "domain/reputation/testing/world.h"

namespace mamori::domain::reputation {
namespace {

using testing::Day0;

EvidenceIndex Lapsed() {
  EvidenceIndexBuilder b;
  b.AddZone({"lapsed.com", "com", DayOf(Day0(0)), DayOf(Day0(40))});
  b.AddZone({"lapsed.com", "com", DayOf(Day0(60)), DayOf(Day0(100))});
  b.AddRegistration({.domain = "lapsed.com", .observed_at = Day0(1), .created = Day0(-900),
                     .expires = Day0(40), .registrar = "Old Registrar", .abuse_email = "abuse@old.example",
                     .nameservers = {}, .statuses = {}});
  b.AddRegistration({.domain = "lapsed.com", .observed_at = Day0(61), .created = Day0(60),
                     .expires = Day0(425), .registrar = "Cheap Registrar",
                     .abuse_email = "abuse@cheap.example", .nameservers = {}, .statuses = {}});
  b.AddPdns({"www.lapsed.com", "lapsed.com", 5, "d111.cloudfront.net", Day0(61), Day0(90), 3});
  b.AddPdns({"d111.cloudfront.net", "cloudfront.net", 1, "192.0.2.1", Day0(0), Day0(90), 3});
  return std::move(b).Finish();
}

TEST(CategoryEvidence, ALapseAndANewCreationDateMakeARegistrationAgain) {
  const EvidenceIndex ix = Lapsed();
  const CategoryEvidence e = CategoryEvidenceAt(ix, "lapsed.com", Day0(70));
  ASSERT_TRUE(e.registration);
  EXPECT_EQ(e.registration->created, Day0(60));
  ASSERT_TRUE(e.registration->previous_registration_ended);
  EXPECT_EQ(*e.registration->previous_registration_ended, StartOf(DayOf(Day0(41))));
  EXPECT_EQ(e.registration->registrar, "Cheap Registrar");
  EXPECT_EQ(e.registration->abuse_contact, "abuse@cheap.example");
  ASSERT_TRUE(e.dns);
  EXPECT_EQ(e.dns->cname_chain, std::vector<std::string>{"d111.cloudfront.net"});
}

TEST(CategoryEvidence, NothingFromAfterTheDateIsRead) {
  const EvidenceIndex ix = Lapsed();
  const CategoryEvidence before = CategoryEvidenceAt(ix, "lapsed.com", Day0(30));
  ASSERT_TRUE(before.registration);
  EXPECT_FALSE(before.registration->previous_registration_ended);
  EXPECT_EQ(before.registration->registrar, "Old Registrar");
  EXPECT_FALSE(before.dns);  // the CNAME appeared on day 61
  EXPECT_FALSE(CategoryEvidenceAt(ix, "unknown.com", Day0(30)).registration);
}

TEST(CategoryEvidence, TheCategorizerCallsItReregistered) {
  const EvidenceIndex ix = Lapsed();
  auto lists = ServiceLists::LoadBuiltin();
  ASSERT_TRUE(lists) << lists.error().message;
  CategorizerOptions options;
  options.now = Day0(70);
  const Categorizer categorizer(*lists, options);
  const CategoryEvidence e = CategoryEvidenceAt(ix, "lapsed.com", Day0(70));
  auto c = categorizer.Categorize("lapsed.com", e.view());
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->category, Category::kReregistered);
  EXPECT_EQ(c->abuse_contact, "abuse@cheap.example");
}

}  // namespace
}  // namespace mamori::domain::reputation
