#include "rse/blocklist/publisher.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "core/atomic_file.h"
#include "core/data_dir.h"
#include "domain/category/service_lists.h"

namespace mamori::rse::blocklist {

namespace fs = std::filesystem;

BuildSettings SettingsFromConfig(const Config& config) {
  const auto& b = config.blocklist;
  BuildSettings s;
  constexpr double kDay = 86400;
  s.scoring.ip = {b.ip_lifetime_days * kDay, b.decay_speed};
  s.scoring.domain = {b.domain_lifetime_days * kDay, b.decay_speed};
  s.scoring.url = {b.url_lifetime_days * kDay, b.decay_speed};
  s.scoring.hash = {b.hash_lifetime_days * kDay, b.decay_speed};
  s.aggregate = b.aggregate;
  s.min_prefix_v4 = b.min_prefix_v4;
  s.min_prefix_v6 = b.min_prefix_v6;
  s.collateral_penalty = b.collateral_penalty;
  s.churn_threshold = b.churn_threshold;
  s.scoring.sighting_weight = b.sighting_weight;
  s.scoring.observed_collateral = b.observed_collateral;
  // The built-in platform lists are embedded: loading fails only on a broken build.
  if (auto platforms = domain::ServiceLists::LoadBuiltin(); platforms) {
    s.platforms = std::make_shared<const domain::ServiceLists>(std::move(*platforms));
  } else {
    spdlog::warn("blocklist: shared-platform lists not loaded: {}", platforms.error().ToString());
  }
  return s;
}

Expected<intel::WarningLists> LoadWarningListsForConfig(const Config& config) {
  std::vector<fs::path> extra;
  std::error_code ec;
  if (fs::is_directory(config.blocklist.warninglists_dir, ec)) {
    extra.emplace_back(config.blocklist.warninglists_dir);
  }
  if (config.blocklist.builtin_warninglists) return intel::WarningLists::LoadBuiltin(extra);
  return intel::WarningLists::LoadFrom(extra);
}

Expected<std::vector<DeviceProfile>> LoadProfilesForConfig(const Config& config) {
  auto has_profiles = [](const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return false;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.path().extension() == ".toml") return true;
    }
    return false;
  };
  std::vector<fs::path> dirs;
  std::string builtin =
      FindDataDir(config.blocklist.builtin_profiles_dir, "profiles", has_profiles);
  if (!builtin.empty()) dirs.emplace_back(builtin);
  std::error_code ec;
  if (fs::is_directory(config.blocklist.profiles_dir, ec)) {
    dirs.emplace_back(config.blocklist.profiles_dir);
  }
  return LoadProfiles(dirs);
}

const DeviceProfile* FindProfile(const std::vector<DeviceProfile>& profiles,
                                 std::string_view name) {
  for (const auto& p : profiles) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

namespace {

nlohmann::json LinesJson(const std::vector<CoverageLine>& lines) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& l : lines) {
    out.push_back({{"name", l.name},
                   {"candidates", l.candidates},
                   {"selected", l.selected},
                   {"priority", l.priority},
                   {"covered_priority", l.covered},
                   {"share", l.priority > 0 ? l.covered / l.priority : 0.0}});
  }
  return out;
}

// Entries per capacity class, to check the result against the profile before publishing.
Status CheckCapacity(const DeviceProfile& profile, const Blocklist& list) {
  int64_t ip = 0, domain = 0, url = 0, hash = 0;
  for (const auto& e : list.entries) {
    switch (e.indicator.type) {
      case IndicatorType::kIpv4:
      case IndicatorType::kIpv6:
      case IndicatorType::kCidr:
        ++ip;
        break;
      case IndicatorType::kDomain:
        ++domain;
        break;
      case IndicatorType::kUrl:
        ++url;
        break;
      default:
        ++hash;
    }
  }
  const Capacity& c = profile.capacity;
  auto over = [&](const char* what, int64_t n, int64_t cap) -> Status {
    if (n > cap) {
      return MakeError(ErrorCode::kRejected,
                       fmt::format("{} {} entries exceed the capacity {}", n, what, cap),
                       profile.name);
    }
    return {};
  };
  MAMORI_RETURN_IF_ERROR(over("ip", ip, c.ip));
  MAMORI_RETURN_IF_ERROR(over("domain", domain, c.domain));
  MAMORI_RETURN_IF_ERROR(over("url", url, c.url));
  MAMORI_RETURN_IF_ERROR(over("hash", hash, c.hash));
  if (c.total > 0) MAMORI_RETURN_IF_ERROR(over("total", ip + domain + url + hash, c.total));
  return {};
}

}  // namespace

nlohmann::json CoverageJson(const DeviceProfile& profile, const CoverageReport& coverage) {
  return {{"profile", profile.name},
          {"kind", DeviceKindName(profile.kind)},
          {"capacity",
           {{"ip", profile.capacity.ip},
            {"domain", profile.capacity.domain},
            {"url", profile.capacity.url},
            {"hash", profile.capacity.hash},
            {"total", profile.capacity.total}}},
          {"candidates", coverage.candidates},
          {"entries", coverage.entries},
          {"aggregates", coverage.aggregates},
          {"covered_candidates", coverage.covered_candidates},
          {"total_priority", coverage.total_priority},
          {"covered_priority", coverage.covered_priority},
          {"share",
           coverage.total_priority > 0 ? coverage.covered_priority / coverage.total_priority : 0.0},
          {"dropped_protected", coverage.dropped_protected},
          {"changes",
           {{"added", coverage.added}, {"removed", coverage.removed}, {"kept", coverage.kept}}},
          {"by_source", LinesJson(coverage.by_source)},
          {"by_category", LinesJson(coverage.by_category)}};
}

ProfileBuild BuildAndPublish(store::Store& store, const ScoredIndicators& scored,
                             const DeviceProfile& profile, const BuildSettings& settings,
                             PublishedLists* published, const PublishOptions& options,
                             UnixSeconds now) {
  ProfileBuild build;
  build.profile = profile.name;
  auto fail = [&](Error error) {
    build.status = tl::unexpected(error);
    if (options.dry_run) return;
    store::BlocklistBuildRecord record;
    record.profile = profile.name;
    record.built_at = now;
    record.status = "failed";
    record.error = error.ToString();
    (void)store.RecordBlocklistBuild(record, {}, 2);  // best effort: the error is returned anyway
    if (published) published->RecordFailure(profile.name, error.ToString(), now);
  };

  auto previous = store.LastBlocklistEntries(profile.name);
  if (!previous) {
    fail(previous.error());
    return build;
  }
  auto selection = BuildForProfile(scored, profile, settings, *previous);
  if (!selection) {
    fail(selection.error());
    return build;
  }
  build.selection = std::move(*selection);
  build.selection.list.profile = profile.name;
  build.selection.list.built_at = now;
  if (Status fits = CheckCapacity(profile, build.selection.list); !fits) {
    fail(fits.error());
    return build;
  }
  auto rendered = Render(build.selection.list, profile);
  if (!rendered) {
    fail(rendered.error());
    return build;
  }
  build.render = std::move(*rendered);
  if (options.dry_run) return build;

  if (options.out) {
    if (Status s = WriteFileAtomically(*options.out, build.render.content); !s) {
      fail(s.error());
      return build;
    }
    build.written = *options.out;
  } else if (published) {
    if (Status s = published->Publish(profile, build.render.content, now, build.render.written);
        !s) {
      fail(s.error());
      return build;
    }
    build.written = published->PathFor(profile);
  }
  store::BlocklistBuildRecord record;
  record.profile = profile.name;
  record.built_at = now;
  record.status = "ok";
  record.entries = static_cast<int64_t>(build.selection.list.entries.size());
  record.total_priority = build.selection.coverage.total_priority;
  record.covered_priority = build.selection.coverage.covered_priority;
  record.report_json = CoverageJson(profile, build.selection.coverage).dump();
  std::vector<store::BlocklistBuildEntry> entries;
  entries.reserve(build.selection.list.entries.size());
  for (const auto& e : build.selection.list.entries) entries.push_back({e.indicator, e.priority});
  if (auto recorded = store.RecordBlocklistBuild(record, entries, 2); !recorded) {
    build.status = tl::unexpected(recorded.error());
  }
  return build;
}

}  // namespace mamori::rse::blocklist
