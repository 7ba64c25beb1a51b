// Publisher: one profile's build from scores to a served list, shared by `mamori blocklist build`
// and the rebuilds inside `mamori serve`.
//
// BuildAndPublish() selects (with the profile's previous build for churn), checks that the
// result fits the profile's capacity, renders it in the device's format, publishes it (file in
// output_dir + the in-memory copy /edl/ serves) or writes it to an explicit path, and records
// the build in the store. Any failure records a failed build and leaves what was published
// before untouched — a broken build never empties a device's list.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/error.h"
#include "intel/warninglists.h"
#include "rse/blocklist/builder.h"
#include "rse/blocklist/exporters/exporter.h"
#include "rse/blocklist/profile.h"
#include "rse/blocklist/published.h"
#include "store/store.h"

namespace mamori::rse::blocklist {

BuildSettings SettingsFromConfig(const Config& config);
// Built-in lists (unless disabled) plus the configured extra directory when it exists.
Expected<intel::WarningLists> LoadWarningListsForConfig(const Config& config);
// Shipped profiles, then the user's (same name overrides).
Expected<std::vector<DeviceProfile>> LoadProfilesForConfig(const Config& config);
const DeviceProfile* FindProfile(const std::vector<DeviceProfile>& profiles,
                                 std::string_view name);

struct PublishOptions {
  std::optional<std::filesystem::path> out;  // write here instead of publishing
  bool dry_run = false;                      // select and render, write nothing
};

struct ProfileBuild {
  std::string profile;
  Status status;  // ok, or why nothing was published
  Selection selection;
  RenderResult render;
  std::filesystem::path written;  // file written ("" for dry runs and failures)
};

ProfileBuild BuildAndPublish(store::Store& store, const ScoredIndicators& scored,
                             const DeviceProfile& profile, const BuildSettings& settings,
                             PublishedLists* published, const PublishOptions& options,
                             UnixSeconds now);

// The coverage report of a build as JSON (also what the store keeps with each build).
nlohmann::json CoverageJson(const DeviceProfile& profile, const CoverageReport& coverage);

}  // namespace mamori::rse::blocklist
