#include "domain/category/categorizer.h"

#include <fmt/format.h>

#include <ctime>

#include "domain/category/internal/psl_suffix.h"

namespace mamori::domain {

namespace {

// How an abused-service category reads in evidence ("a dynamic DNS service").
std::string_view ServiceNoun(Category c) {
  switch (c) {
    case Category::kAdvertising: return "an ad network";
    case Category::kCdn: return "a CDN";
    case Category::kWebHosting: return "a web hosting platform";
    case Category::kUrlShortener: return "a URL shortener";
    case Category::kDynamicDns: return "a dynamic DNS service";
    case Category::kCloudStorage: return "a cloud storage / file sharing service";
    case Category::kPasteSite: return "a paste site";
    default: return "a shared platform";
  }
}

std::string Date(UnixSeconds t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return fmt::format("{:04}-{:02}-{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

std::string PlatformDescription(const ServiceEntry& e) {
  std::string who = e.provider.empty() ? "" : fmt::format("{}; ", e.provider);
  return fmt::format("{} ({}list {})", ServiceNoun(e.category), who, e.list);
}

// The customer's name on a platform: the label right below the platform, or the PSL registrable
// domain (`reg`, "" when none) when that is longer (wildcard rules such as
// "*.compute.amazonaws.com").
std::string CustomerName(const DomainName& name, std::string_view platform, std::string_view reg) {
  const std::string& n = name.name();
  std::string_view below(n.data(), n.size() - platform.size() - 1);  // "a.evil" of a.evil.<p>
  auto dot = below.rfind('.');
  std::string_view customer =
      dot == std::string_view::npos ? std::string_view(n) : std::string_view(n).substr(dot + 1);
  if (reg.size() > customer.size()) customer = reg;
  return std::string(customer);
}

// name == base || name == "www." + base, without building the string.
bool IsSelfOrWww(std::string_view name, std::string_view base) {
  if (name == base) return true;
  return name.size() == base.size() + 4 && name.starts_with("www.") && name.ends_with(base);
}

double TyposquatConfidence(const TyposquatMatch& m) {
  if (m.technique == "edit-distance") return std::max(0.6, 0.8 - 0.05 * m.distance);
  if (m.technique == "combo-squat") return 0.8;
  return 0.9;
}

void Decide(Categorization& r, Category category, double confidence, Action action,
            std::string block_at) {
  r.category = category;
  r.confidence = confidence;
  r.action = action;
  r.block_at = std::move(block_at);
}

}  // namespace

std::vector<DefensePoint> DefensePointsFor(Action action) {
  switch (action) {
    case Action::kBlockRegisteredDomain:
    case Action::kBlockFqdn:
      return {DefensePoint::kDnsRpz, DefensePoint::kFirewall, DefensePoint::kWebProxy,
              DefensePoint::kEndpoint};
    case Action::kBlockUrl: return {DefensePoint::kWebProxy, DefensePoint::kEndpoint};
    default: return {};
  }
}

Expected<Categorization> Categorizer::Categorize(std::string_view text,
                                                 const Evidence& evidence) const {
  MAMORI_ASSIGN_OR_RETURN(Target target, ParseTarget(text));
  return Categorize(target, evidence);
}

Expected<Categorization> Categorizer::Categorize(const Target& t, const Evidence& ev) const {
  Categorization r;
  r.input = t.input;
  r.domain = t.host;

  if (t.is_ip()) {
    r.category = Category::kIpLiteral;
    r.confidence = 1.0;
    r.evidence.push_back(fmt::format(
        "{} is an IP address, not a domain name: domain categories do not apply (see its "
        "reputation with `mamori intel lookup {}`)",
        t.host, t.host));
    if (!t.url_pattern.empty()) {
      r.action = Action::kBlockUrl;
      r.block_at = t.url_pattern;
      r.evidence.push_back("the input is a URL: block that URL; the address may be shared");
    } else {
      r.action = Action::kMonitor;
    }
    r.defense_points = DefensePointsFor(r.action);
    return r;
  }

  const DomainName& n = *t.name;
  const std::string& name = n.name();
  const RegistrationEvidence* reg = ev.registration;
  // The PSL is asked for the registered domain once per item; everything below reuses it.
  if (auto rd = n.RegisteredDomain()) r.registered_domain = std::move(*rd);

  // --- 1. A shared platform: the name is a listed service or below one. ---
  const ServiceEntry* entry = services_.FindSuffix(name);
  ServiceEntry psl_entry;  // a PSL private suffix libpsl knows but the shipped lists do not
  if (entry == nullptr && (internal::IsPrivateSuffix(n, r.registered_domain) ||
                           (r.registered_domain.empty() && n.IsPublicSuffix() &&
                            !IsIcannPublicSuffix(name)))) {
    psl_entry.domain = n.IsPublicSuffix() ? name : n.PublicSuffix();
    psl_entry.category = Category::kWebHosting;
    psl_entry.list = "psl-private (libpsl)";
    entry = &psl_entry;
  }
  if (entry == nullptr && r.registered_domain.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("{} is a public suffix (a registry such as 'co.uk'), not a "
                                 "name anyone registers: nothing to categorize",
                                 name),
                     t.input);
  }
  if (entry != nullptr) {
    const std::string& platform = entry->domain;
    r.platform = platform;
    r.provider = entry->provider;
    r.abuse_contact = entry->abuse_contact;
    const bool fallback = entry->fallback || entry == &psl_entry;
    const bool at_platform = IsSelfOrWww(name, platform);
    if (at_platform) {
      r.evidence.push_back(fmt::format("{} is {}", platform, PlatformDescription(*entry)));
      if (!t.url_pattern.empty()) {
        Decide(r, entry->category, 0.9, Action::kBlockUrl, t.url_pattern);
        r.evidence.push_back(fmt::format(
            "the malicious content is a URL on the platform itself: block {} and report it; "
            "blocking {} would break it for every user",
            t.url_pattern, platform));
      } else if (entry->category == Category::kAdvertising) {
        Decide(r, entry->category, 0.7, Action::kReportAbuse, "");
        r.evidence.push_back(fmt::format(
            "no URL given: report the malicious ad to the network; blocking {} would break "
            "every site it serves",
            platform));
      } else {
        Decide(r, entry->category, 0.6, Action::kMonitor, "");
        r.evidence.push_back(fmt::format(
            "the platform itself is named, without a URL or a customer name: nothing specific "
            "to block, and {} is never blocked whole",
            platform));
      }
    } else {
      std::string customer = CustomerName(n, platform, r.registered_domain);
      r.evidence.push_back(fmt::format("{} is below {}, {}", name, platform,
                                       PlatformDescription(*entry)));
      if (entry->category == Category::kAdvertising) {
        if (!t.url_pattern.empty()) {
          Decide(r, entry->category, 0.85, Action::kBlockUrl, t.url_pattern);
        } else {
          Decide(r, entry->category, 0.7, Action::kReportAbuse, "");
        }
        r.evidence.push_back(
            "an ad network's own host serves many advertisers: block the URL if one is known "
            "and report the campaign to the network");
      } else {
        Decide(r, entry->category, fallback ? 0.85 : 0.95, Action::kBlockFqdn, customer);
        r.evidence.push_back(fmt::format(
            "{} is the customer's name on the platform: block it (and the names below it), "
            "never {}",
            customer, platform));
      }
    }
    if (fallback) {
      r.evidence.push_back(
          "the platform is known from the Public Suffix List private section only; its kind "
          "of service is not in the shipped lists, so it is counted as hosting");
    }
    // What the customer's own label looks like, for the analyst (does not change the action).
    if (!at_platform && options_.typosquat != nullptr) {
      auto m = options_.typosquat->Match(n, r.registered_domain);
      if (!m && !r.block_at.empty()) {
        // The detector judges a label under its own suffix; under a platform suffix it sees no
        // TLD it knows, so the customer's label is asked again as "<label>.com".
        std::string_view customer = r.block_at;
        auto label = customer.substr(0, customer.find('.'));
        if (auto as_com = DomainName::Parse(fmt::format("{}.com", label))) {
          m = options_.typosquat->Match(*as_com);
        }
      }
      if (m) {
        r.evidence.push_back(fmt::format("the customer name imitates {} ({})", m->brand,
                                         m->technique));
        r.typosquat = std::move(m);
      }
    }
  } else {
    const std::string& rd = r.registered_domain;
    const bool is_site_name = IsSelfOrWww(name, rd);
    const UnixSeconds now = options_.now != 0 ? options_.now : SystemClock::Instance().Now();
    std::optional<std::string> popular;
    if (options_.popularity != nullptr) popular = options_.popularity->ListOf(rd);
    // The models are the expensive part (bench/category_eval.cc): each is asked only when the
    // decision reaches it.
    std::optional<double> dga;
    auto is_dga = [&] {
      if (options_.dga == nullptr) return false;
      if (!dga) dga = options_.dga->Probability(rd);
      r.dga_probability = dga;
      return *dga >= options_.dga->Threshold();
    };
    std::optional<TyposquatMatch> squat;
    auto is_squat = [&] {
      if (options_.typosquat == nullptr) return false;
      squat = options_.typosquat->Match(n, rd);
      return squat.has_value();
    };

    if (reg && reg->created && reg->previous_registration_ended &&
        *reg->created >= *reg->previous_registration_ended) {
      // --- 2. Re-registered after an earlier registration lapsed. ---
      Decide(r, Category::kReregistered, 0.9, Action::kBlockRegisteredDomain, rd);
      r.evidence.push_back(fmt::format(
          "{} was registered again on {} after its earlier registration ended on {}: the new "
          "owner inherits the old name's links and reputation; block it whole",
          rd, Date(*reg->created), Date(*reg->previous_registration_ended)));
    } else if (popular) {
      // --- 3. A popular site: compromised, or not shown to be abused at all. ---
      if (is_site_name && t.url_pattern.empty()) {
        Decide(r, Category::kLegitimate, 0.8, Action::kMonitor, "");
        r.evidence.push_back(fmt::format(
            "{} is a popular site ({}) and no URL is given: nothing shows abuse, and a popular "
            "site is not blocked whole; categorize the malicious URL to block it",
            rd, *popular));
      } else if (!t.url_pattern.empty()) {
        Decide(r, Category::kCompromisedSite, 0.7, Action::kBlockUrl, t.url_pattern);
        r.evidence.push_back(fmt::format(
            "{} is a popular site ({}): a malicious URL on it means the site or an upload area "
            "was compromised; block the URL and tell the owner",
            rd, *popular));
      } else {
        Decide(r, Category::kCompromisedSite, 0.6, Action::kBlockFqdn, name);
        r.evidence.push_back(fmt::format(
            "{} is a host of the popular site {} ({}): block that host, not the site, and tell "
            "the owner (a compromised or taken-over host)",
            name, rd, *popular));
      }
      r.evidence.push_back(
          "popularity overrides DGA and look-alike verdicts: a popular registered domain is a "
          "real site, often the brand's own");
    } else if (is_dga()) {
      // --- 4. Generated by an algorithm. ---
      Decide(r, Category::kDga, *dga, Action::kBlockRegisteredDomain, rd);
      r.evidence.push_back(fmt::format(
          "DGA classifier: probability {:.2f} (threshold {:.2f}) that {} was generated by an "
          "algorithm; such names exist only for malware, block them whole",
          *dga, options_.dga->Threshold(), rd));
    } else if (is_squat()) {
      // --- 5. A look-alike of a protected brand. ---
      Decide(r, Category::kTyposquatting, TyposquatConfidence(*squat),
             Action::kBlockRegisteredDomain, rd);
      r.evidence.push_back(fmt::format(
          "{} imitates the brand {} ({}, skeleton distance {}): a look-alike registered for "
          "the attack, block it whole",
          name, squat->brand, squat->technique, squat->distance));
      r.typosquat = squat;
    } else {
      // --- 6. Served through a platform (CNAME chain). ---
      const ServiceEntry* via = nullptr;
      std::string via_name;
      if (ev.dns != nullptr) {
        for (const auto& target : ev.dns->cname_chain) {
          auto parsed = DomainName::Parse(target);
          if (!parsed) continue;
          if (const ServiceEntry* e = services_.FindSuffix(parsed->name())) {
            via = e;
            via_name = parsed->name();
          }
        }
      }
      if (via != nullptr) {
        Decide(r, via->category, 0.8, Action::kBlockFqdn, name);
        r.platform = via->domain;
        r.provider = via->provider;
        r.abuse_contact = via->abuse_contact;
        r.evidence.push_back(fmt::format(
            "its CNAME chain reaches {}, on {} {}: the content is served by the platform, whose "
            "addresses are shared; block the name (not the addresses) and report it",
            via_name, via->domain, PlatformDescription(*via)));
      } else if (reg && reg->created &&
                 now - *reg->created >= int64_t{options_.established_age_days} * 86400) {
        // --- 7. An established site: compromised. ---
        if (!t.url_pattern.empty()) {
          Decide(r, Category::kCompromisedSite, 0.6, Action::kBlockUrl, t.url_pattern);
        } else {
          Decide(r, Category::kCompromisedSite, 0.5, Action::kBlockFqdn, name);
        }
        r.evidence.push_back(fmt::format(
            "{} was registered on {} ({} days ago) and shows no sign of being made for an "
            "attack: an established site serving something malicious is most likely "
            "compromised; block narrowly and tell the owner",
            rd, Date(*reg->created), (now - *reg->created) / 86400));
      } else {
        // --- 8. Nothing else: registered by the attacker. ---
        double confidence = 0.5;
        std::string why = fmt::format(
            "{} is on no shared-platform or popularity list and shows no sign of an older "
            "legitimate life: taken as registered by the attacker; block it whole",
            rd);
        if (reg && reg->created) {
          const int64_t days = (now - *reg->created) / 86400;
          why += fmt::format(" (registered on {}, {} days ago)", Date(*reg->created), days);
          if (days < 90) confidence = 0.7;
        }
        Decide(r, Category::kAttackerRegistered, confidence, Action::kBlockRegisteredDomain, rd);
        r.evidence.push_back(std::move(why));
      }
    }
    if (options_.dga == nullptr) r.evidence.push_back("DGA model not loaded: DGA not checked");
    if (options_.typosquat == nullptr) {
      r.evidence.push_back("typosquat detector not loaded: look-alikes not checked");
    }
    if (options_.popularity == nullptr) {
      r.evidence.push_back("no popularity lists: popular sites not recognized");
    }
    if (r.category == Category::kAttackerRegistered) {
      if (ev.dns == nullptr) r.evidence.push_back("no passive DNS data: CNAME chain not checked");
      if (reg == nullptr) {
        r.evidence.push_back("no registration data (RDAP): age and re-registration not checked");
      }
    }
    // --- The guard: a platform's registered domain is never blocked whole. ---
    if (r.action == Action::kBlockRegisteredDomain && services_.IsPlatformRoot(rd)) {
      if (!is_site_name && !services_.IsPlatformRoot(name)) {
        r.action = Action::kBlockFqdn;
        r.block_at = name;
      } else {
        r.action = Action::kMonitor;
        r.block_at.clear();
      }
      r.evidence.push_back(fmt::format(
          "{} is (or holds) a shared platform in the service lists: it is never blocked whole",
          rd));
    }
  }
  if (reg != nullptr && !reg->abuse_contact.empty()) r.abuse_contact = reg->abuse_contact;
  r.defense_points = DefensePointsFor(r.action);
  return r;
}

}  // namespace mamori::domain
