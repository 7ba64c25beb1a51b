// Sample feeds shipped with mamori (data/feeds/): on the first start of `mamori serve` with an
// empty store they are added as sources, so a new user sees real data at once.
//
// data/feeds/sources.json lists them:
//   [{"name": "...", "file": "relative/to/dir.txt", "format": "plain", "reliability": 70,
//     "category": "malware", "refresh_seconds": 86400, "license": "CC0-1.0", "options": {}}]
// Each becomes a source whose URL is the absolute path of the file. Unknown keys are errors.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "store/store.h"

namespace mamori::feeds {

// Finds the sample-feed directory: `configured` if it holds sources.json, else the data/feeds
// directory of the source tree the binary was built from, else /usr/share/mamori/feeds.
// Returns an empty string when none exists.
std::string FindSampleFeedsDir(const std::string& configured);

// Adds every sample source that does not exist yet; returns the names added.
Expected<std::vector<std::string>> AddSampleFeeds(store::Store& store, const std::string& dir,
                                                  UnixSeconds now);

}  // namespace mamori::feeds
