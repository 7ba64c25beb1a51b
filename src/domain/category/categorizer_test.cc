#include "domain/category/categorizer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>

#include "domain/category/internal/psl_suffix.h"
#include "domain/category/json.h"

namespace mamori::domain {
namespace {

// A stand-in for the DGA model (domain/dga): the test decides each answer, so the categorizer's
// rules are tested apart from the model's quality.
class FakeDgaScorer final : public DgaScorer {
 public:
  explicit FakeDgaScorer(std::map<std::string, double> answers) : answers_(std::move(answers)) {}
  double Probability(std::string_view domain) const override {
    auto it = answers_.find(std::string(domain));
    return it == answers_.end() ? 0.01 : it->second;
  }
  double Threshold() const override { return 0.5; }

 private:
  std::map<std::string, double> answers_;
};

constexpr UnixSeconds kNow = 1'790'000'000;  // 2026-09-21
constexpr UnixSeconds kDay = 86400;

class CategorizerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto lists = ServiceLists::LoadBuiltin();
    ASSERT_TRUE(lists) << lists.error().ToString();
    services_ = new ServiceLists(std::move(*lists));
    auto detector = TyposquatDetector::Build({"paypal.com", "google.com", "microsoft.com"},
                                             FuzzerLists{{"login", "secure"}, {"net", "org"}});
    ASSERT_TRUE(detector) << detector.error().ToString();
    detector_ = new TyposquatDetector(std::move(*detector));
  }
  static void TearDownTestSuite() {
    delete services_;
    delete detector_;
  }

  CategorizerTest() {
    popular_.Add("google.com", "top-sites");
    popular_.Add("wikipedia.org", "tranco10k");
    popular_.Add("paypal.com", "top-sites");
  }

  Categorizer Make() const {
    CategorizerOptions o;
    o.dga = &dga_;
    o.typosquat = detector_;
    o.popularity = &popular_;
    o.now = kNow;
    return Categorizer(*services_, o);
  }

  Categorization Run(std::string_view text, const Evidence& ev = {}) const {
    auto r = Make().Categorize(text, ev);
    EXPECT_TRUE(r) << text << ": " << r.error().ToString();
    return r ? *r : Categorization{};
  }

  static bool Says(const Categorization& c, std::string_view words) {
    return std::any_of(c.evidence.begin(), c.evidence.end(),
                       [&](const std::string& e) { return e.find(words) != std::string::npos; });
  }

  static ServiceLists* services_;
  static TyposquatDetector* detector_;
  FakeDgaScorer dga_{{{"xjwqpkzt.net", 0.97}, {"qwrtzpsd.duckdns.org", 0.99}}};
  PopularSet popular_;
};

ServiceLists* CategorizerTest::services_ = nullptr;
TyposquatDetector* CategorizerTest::detector_ = nullptr;

TEST_F(CategorizerTest, DynamicDnsCustomerIsBlockedByNameAndReportedToTheProvider) {
  auto c = Run("http://Evil.DDNS.net:8080/gate.php");
  EXPECT_EQ(c.category, Category::kDynamicDns);
  EXPECT_EQ(c.action, Action::kBlockFqdn);
  EXPECT_EQ(c.block_at, "evil.ddns.net");
  EXPECT_EQ(c.platform, "ddns.net");
  EXPECT_EQ(c.provider, "No-IP");
  EXPECT_EQ(c.abuse_contact, "abuse@noip.com");
  EXPECT_TRUE(Says(c, "never ddns.net"));
  EXPECT_EQ(c.defense_points, DefensePointsFor(Action::kBlockFqdn));
  // A deeper name blocks the customer's whole name.
  EXPECT_EQ(Run("a.b.evil.duckdns.org").block_at, "evil.duckdns.org");
}

TEST_F(CategorizerTest, PlatformWinsOverDgaAndTyposquatOfTheCustomerLabel) {
  auto dga = Run("qwrtzpsd.duckdns.org");
  EXPECT_EQ(dga.category, Category::kDynamicDns);
  EXPECT_EQ(dga.action, Action::kBlockFqdn);
  auto squat = Run("paypal-login.000webhostapp.com");
  EXPECT_EQ(squat.category, Category::kWebHosting);
  EXPECT_EQ(squat.block_at, "paypal-login.000webhostapp.com");
  ASSERT_TRUE(squat.typosquat);
  EXPECT_EQ(squat.typosquat->brand, "paypal.com");
  EXPECT_TRUE(Says(squat, "imitates paypal.com"));
}

TEST_F(CategorizerTest, ShortenerUrlIsBlockedAsUrl) {
  auto c = Run("https://bit.ly/3xYz");
  EXPECT_EQ(c.category, Category::kUrlShortener);
  EXPECT_EQ(c.action, Action::kBlockUrl);
  EXPECT_EQ(c.block_at, "bit.ly/3xYz");
  EXPECT_EQ(c.defense_points,
            (std::vector<DefensePoint>{DefensePoint::kWebProxy, DefensePoint::kEndpoint}));
  // The shortener itself, without a URL: nothing to block.
  auto bare = Run("bit.ly");
  EXPECT_EQ(bare.category, Category::kUrlShortener);
  EXPECT_EQ(bare.action, Action::kMonitor);
  EXPECT_EQ(bare.block_at, "");
  EXPECT_TRUE(bare.defense_points.empty());
  EXPECT_EQ(Run("www.bit.ly").action, Action::kMonitor);
}

TEST_F(CategorizerTest, EachAbusedServiceCategoryFromItsList) {
  struct Case {
    const char* input;
    Category category;
    Action action;
    const char* block_at;
  };
  for (const Case& c : {
           Case{"d111111abcdef8.cloudfront.net", Category::kCdn, Action::kBlockFqdn,
                "d111111abcdef8.cloudfront.net"},
           Case{"phish.github.io", Category::kWebHosting, Action::kBlockFqdn, "phish.github.io"},
           Case{"https://sites.google.com/view/evil-login", Category::kWebHosting,
                Action::kBlockUrl, "sites.google.com/view/evil-login"},
           Case{"https://drive.google.com/uc?id=1AbC", Category::kCloudStorage, Action::kBlockUrl,
                "drive.google.com/uc?id=1AbC"},
           Case{"mybucket.s3.amazonaws.com", Category::kCloudStorage, Action::kBlockFqdn,
                "mybucket.s3.amazonaws.com"},
           Case{"https://pastebin.com/raw/abcd1234", Category::kPasteSite, Action::kBlockUrl,
                "pastebin.com/raw/abcd1234"},
           Case{"https://ad.doubleclick.net/ddm/clk/123", Category::kAdvertising,
                Action::kBlockUrl, "ad.doubleclick.net/ddm/clk/123"},
           Case{"adnxs.com", Category::kAdvertising, Action::kReportAbuse, ""},
           Case{"evil.no-ip.org", Category::kDynamicDns, Action::kBlockFqdn, "evil.no-ip.org"},
       }) {
    auto r = Run(c.input);
    EXPECT_EQ(r.category, c.category) << c.input;
    EXPECT_EQ(r.action, c.action) << c.input;
    EXPECT_EQ(r.block_at, c.block_at) << c.input;
  }
}

TEST_F(CategorizerTest, PslPrivateSuffixWithoutACuratedEntryIsHosting) {
  // herokuapp.com is curated; "ngrok.io"-style entries too; take one only the PSL has.
  auto c = Run("shop.myshopify.com");
  EXPECT_TRUE(IsAbusedService(c.category));
  EXPECT_EQ(c.action, Action::kBlockFqdn);
  EXPECT_EQ(c.block_at, "shop.myshopify.com");
  EXPECT_TRUE(Says(c, "Public Suffix List"));
}

TEST_F(CategorizerTest, DgaIsBlockedWhole) {
  auto c = Run("www.xjwqpkzt.net");
  EXPECT_EQ(c.category, Category::kDga);
  EXPECT_EQ(c.action, Action::kBlockRegisteredDomain);
  EXPECT_EQ(c.block_at, "xjwqpkzt.net");
  EXPECT_DOUBLE_EQ(c.confidence, 0.97);
  ASSERT_TRUE(c.dga_probability);
  EXPECT_TRUE(Says(c, "DGA classifier: probability 0.97"));
}

TEST_F(CategorizerTest, TyposquatNamesBrandAndTechnique) {
  auto c = Run("paypa1.com");
  EXPECT_EQ(c.category, Category::kTyposquatting);
  EXPECT_EQ(c.action, Action::kBlockRegisteredDomain);
  EXPECT_EQ(c.block_at, "paypa1.com");
  ASSERT_TRUE(c.typosquat);
  EXPECT_EQ(c.typosquat->brand, "paypal.com");
  EXPECT_FALSE(c.typosquat->technique.empty());
  EXPECT_TRUE(Says(c, "imitates the brand paypal.com"));
  // Unicode confusables arrive as Unicode or punycode alike.
  auto idn = Run("pаypal.com");  // Cyrillic 'а'
  EXPECT_EQ(idn.category, Category::kTyposquatting);
  EXPECT_EQ(idn.domain.rfind("xn--", 0), 0u);
  // The brand as a label of a longer name blocks the attacker's domain.
  auto sub = Run("paypal.com.account-verify.net");
  EXPECT_EQ(sub.category, Category::kTyposquatting);
  EXPECT_EQ(sub.block_at, "account-verify.net");
}

TEST_F(CategorizerTest, ReregisteredFromLifecycleEvidence) {
  RegistrationEvidence reg;
  reg.previous_registration_ended = kNow - 100 * kDay;
  reg.created = kNow - 40 * kDay;
  reg.abuse_contact = "abuse@registrar.example";
  auto c = Run("old-bank-brand.com", {.registration = &reg});
  EXPECT_EQ(c.category, Category::kReregistered);
  EXPECT_EQ(c.action, Action::kBlockRegisteredDomain);
  EXPECT_EQ(c.block_at, "old-bank-brand.com");
  EXPECT_EQ(c.abuse_contact, "abuse@registrar.example");
  EXPECT_TRUE(Says(c, "registered again on"));
}

TEST_F(CategorizerTest, CompromisedSiteFromPopularityOrAge) {
  auto url = Run("https://www.wikipedia.org/wp-content/uploads/invoice.zip");
  EXPECT_EQ(url.category, Category::kCompromisedSite);
  EXPECT_EQ(url.action, Action::kBlockUrl);
  EXPECT_EQ(url.block_at, "www.wikipedia.org/wp-content/uploads/invoice.zip");

  auto host = Run("files.wikipedia.org");
  EXPECT_EQ(host.category, Category::kCompromisedSite);
  EXPECT_EQ(host.action, Action::kBlockFqdn);
  EXPECT_EQ(host.block_at, "files.wikipedia.org");

  RegistrationEvidence old;
  old.created = kNow - 3000 * kDay;
  old.abuse_contact = "abuse@hoster.example";
  auto aged = Run("http://small-bakery.example/x/payload.exe", {.registration = &old});
  EXPECT_EQ(aged.category, Category::kCompromisedSite);
  EXPECT_EQ(aged.action, Action::kBlockUrl);
  EXPECT_EQ(aged.block_at, "small-bakery.example/x/payload.exe");
  EXPECT_EQ(aged.abuse_contact, "abuse@hoster.example");
}

TEST_F(CategorizerTest, PopularNameWithoutUrlIsLegitimateAndPopularityOverridesLookalikes) {
  auto c = Run("wikipedia.org");
  EXPECT_EQ(c.category, Category::kLegitimate);
  EXPECT_EQ(c.action, Action::kMonitor);
  EXPECT_TRUE(c.defense_points.empty());
  // paypal.com is a brand and popular: never its own squat.
  EXPECT_EQ(Run("www.paypal.com").category, Category::kLegitimate);
}

TEST_F(CategorizerTest, CnameToAPlatformPutsTheNameOnIt) {
  DnsEvidence dns{{"edge.victim-cdn.example", "d2abc.cloudfront.net"}};
  auto c = Run("download-update.example", {.dns = &dns});
  EXPECT_EQ(c.category, Category::kCdn);
  EXPECT_EQ(c.action, Action::kBlockFqdn);
  EXPECT_EQ(c.block_at, "download-update.example");
  EXPECT_EQ(c.platform, "cloudfront.net");
  EXPECT_TRUE(Says(c, "CNAME chain reaches d2abc.cloudfront.net"));
}

TEST_F(CategorizerTest, AttackerRegisteredOtherwiseAndSaysWhatWasMissing) {
  auto c = Run("quarterly-invoice-portal.com");
  EXPECT_EQ(c.category, Category::kAttackerRegistered);
  EXPECT_EQ(c.action, Action::kBlockRegisteredDomain);
  EXPECT_EQ(c.block_at, "quarterly-invoice-portal.com");
  EXPECT_TRUE(Says(c, "no passive DNS data"));
  EXPECT_TRUE(Says(c, "no registration data"));

  RegistrationEvidence young;
  young.created = kNow - 5 * kDay;
  auto fresh = Run("quarterly-invoice-portal.com", {.registration = &young});
  EXPECT_EQ(fresh.category, Category::kAttackerRegistered);
  EXPECT_GT(fresh.confidence, c.confidence);
}

TEST_F(CategorizerTest, WithoutModelsTheEvidenceSaysSo) {
  Categorizer bare(*services_, CategorizerOptions{.now = kNow});
  auto c = bare.Categorize("xjwqpkzt.net");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->category, Category::kAttackerRegistered);
  EXPECT_TRUE(Says(*c, "DGA model not loaded"));
  EXPECT_TRUE(Says(*c, "typosquat detector not loaded"));
}

TEST_F(CategorizerTest, IpLiteralsAreReportedAsSuch) {
  auto ip = Run("192.0.2.7");
  EXPECT_EQ(ip.category, Category::kIpLiteral);
  EXPECT_EQ(ip.action, Action::kMonitor);
  EXPECT_EQ(ip.registered_domain, "");
  EXPECT_TRUE(Says(ip, "not a domain name"));
  auto url = Run("http://198.51.100.9:8080/bins/mirai.arm7");
  EXPECT_EQ(url.category, Category::kIpLiteral);
  EXPECT_EQ(url.action, Action::kBlockUrl);
  EXPECT_EQ(url.block_at, "198.51.100.9:8080/bins/mirai.arm7");
  EXPECT_EQ(Run("[2001:db8::5]").category, Category::kIpLiteral);
}

TEST_F(CategorizerTest, BadInputIsAnErrorPerItem) {
  auto c = Make();
  for (const char* bad : {"", "no spaces allowed.com", "co.uk", "http://", "10.0.0.0/8"}) {
    auto r = c.Categorize(bad);
    EXPECT_FALSE(r) << bad;
    if (!r) {
      EXPECT_FALSE(r.error().message.empty());
    }
  }
  auto suffix = c.Categorize("co.uk");
  ASSERT_FALSE(suffix);
  EXPECT_NE(suffix.error().message.find("public suffix"), std::string::npos);
}

TEST_F(CategorizerTest, NormalizedSpellingsGiveTheSameAnswer) {
  auto base = Run("evil.duckdns.org");
  for (const char* text : {"EVIL.DuckDNS.org.", "evil.duckdns.org:443", "user@evil.duckdns.org",
                           "hxxps://evil[.]duckdns[.]org/", "  evil.duckdns.org  "}) {
    auto c = Run(text);
    EXPECT_EQ(c.category, base.category) << text;
    EXPECT_EQ(c.block_at, base.block_at) << text;
  }
}

TEST_F(CategorizerTest, GuardNeverBlocksAPlatformRootWhole) {
  // docs.google.com is listed, so google.com holds a platform; a DGA/typosquat verdict on a
  // registrable domain that holds a platform is narrowed. Take a root that is not popular.
  FakeDgaScorer says_dga({{"amazonaws.com", 0.99}, {"googleusercontent.com", 0.99}});
  Categorizer c(*services_, CategorizerOptions{.dga = &says_dga, .now = kNow});
  auto r = c.Categorize("storage.googleapis.com");
  ASSERT_TRUE(r);
  EXPECT_NE(r->action, Action::kBlockRegisteredDomain);
}

// Issue 6: a platform's registered domain is never the target of block-registered-domain —
// for every shipped service-list entry and every PSL private entry, with any model verdict.
TEST_F(CategorizerTest, NoPlatformIsEverBlockedWhole) {
  class AlwaysDga final : public DgaScorer {
   public:
    double Probability(std::string_view) const override { return 1.0; }
    double Threshold() const override { return 0.5; }
  } always;
  std::vector<std::string> platforms;
  for (const auto& e : services_->entries()) platforms.push_back(e.domain);
  // The system PSL too (libpsl reads the same file), in case it is newer than the shipped copy.
  std::ifstream psl("/usr/share/publicsuffix/public_suffix_list.dat");
  bool in_private = false;
  for (std::string line; std::getline(psl, line);) {
    if (line.find("===BEGIN PRIVATE DOMAINS===") != std::string::npos) in_private = true;
    if (!in_private || line.empty() || line[0] == '/' || line[0] == '!') continue;
    if (line.rfind("*.", 0) == 0) line = line.substr(2);
    platforms.push_back(line);
  }
  ASSERT_GT(platforms.size(), 5000u);
  for (bool with_models : {false, true}) {
    CategorizerOptions o;
    o.now = kNow;
    if (with_models) {
      o.dga = &always;
      o.typosquat = detector_;
    }
    Categorizer c(*services_, o);
    size_t checked = 0;
    for (const auto& p : platforms) {
      auto name = DomainName::Parse(p);
      if (!name) continue;
      const std::string icann_root = IcannRegisteredDomain(name->name());
      for (const std::string& text :
           {name->name(), "www." + name->name(), "https://" + name->name() + "/x"}) {
        auto r = c.Categorize(text);
        if (!r) continue;  // e.g. a platform that is also an ICANN suffix
        ++checked;
        EXPECT_NE(r->action, Action::kBlockRegisteredDomain) << text;
        EXPECT_NE(r->block_at, name->name()) << text;
        if (!icann_root.empty()) EXPECT_NE(r->block_at, icann_root) << text;
      }
    }
    EXPECT_GT(checked, 10000u);
  }
}

TEST_F(CategorizerTest, JsonHasEveryField) {
  auto j = CategorizationToJson(Run("https://bit.ly/abc"));
  for (const char* key : {"input", "domain", "category", "confidence", "evidence", "action",
                          "block_at", "defense_points", "abuse_contact"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["category"], "url_shortener");
  EXPECT_EQ(j["action"], "block-url");
  EXPECT_EQ(j["defense_points"], nlohmann::json::array({"web_proxy", "endpoint"}));
  auto e = CategorizationErrorToJson("x y", Error{ErrorCode::kInvalidArgument, "bad", "x y"});
  EXPECT_EQ(e["input"], "x y");
  EXPECT_EQ(e["error"], "bad");
}

TEST(PopularSetTest, LooksUpByView) {
  PopularSet set;
  set.Add("google.com", "top-sites");
  set.Add("wikipedia.org", "tranco10k");
  const std::string text = "www.google.com";
  EXPECT_EQ(set.ListOf(std::string_view(text).substr(4)), "top-sites");
  EXPECT_EQ(set.ListOf("wikipedia.org"), "tranco10k");
  EXPECT_FALSE(set.ListOf("google.co"));
  EXPECT_FALSE(set.ListOf(""));
  EXPECT_EQ(set.size(), 2u);
}

// The categorizer's PSL shortcut answers as DomainName::IsPrivateSuffix() does.
TEST(PslSuffixTest, IsPrivateSuffixGivenRegisteredDomainAgreesWithDomainName) {
  for (const char* text : {"a.github.io", "github.io", "x.y.blogspot.com", "blogspot.com",
                           "example.com", "www.example.co.uk", "co.uk",
                           "bucket.s3.amazonaws.com", "h.eu-west-1.compute.amazonaws.com",
                           "evil.duckdns.org", "duckdns.org", "xn--80ak6aa92e.com", "foo.bar"}) {
    auto name = DomainName::Parse(text);
    ASSERT_TRUE(name) << text;
    EXPECT_EQ(internal::IsPrivateSuffix(*name, name->RegisteredDomain().value_or("")),
              name->IsPrivateSuffix())
        << text;
  }
}

TEST(CategoryNamesTest, RoundTrip) {
  for (Category c : {Category::kAdvertising, Category::kCdn, Category::kWebHosting,
                     Category::kUrlShortener, Category::kDynamicDns, Category::kCloudStorage,
                     Category::kPasteSite, Category::kCompromisedSite, Category::kDga,
                     Category::kReregistered, Category::kTyposquatting,
                     Category::kAttackerRegistered, Category::kLegitimate, Category::kIpLiteral}) {
    EXPECT_EQ(ParseCategory(CategoryName(c)), c);
  }
  EXPECT_FALSE(ParseCategory("nope"));
  EXPECT_EQ(ActionName(Action::kBlockRegisteredDomain), "block-registered-domain");
  EXPECT_EQ(DefensePointName(DefensePoint::kDnsRpz), "dns_rpz");
}

}  // namespace
}  // namespace mamori::domain
