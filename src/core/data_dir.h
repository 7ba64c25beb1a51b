// FindDataDir: where the data files shipped with mamori (sample feeds, device profiles) are.
//
// Tries, in order: the configured directory; data/<subdir> in every parent of the running
// binary (a binary built in <source>/build/ finds <source>/data/<subdir>); then
// /usr/share/mamori/<subdir>. The first one for which `usable` is true wins; "" when none is.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace mamori {

std::string FindDataDir(const std::string& configured, std::string_view subdir,
                        const std::function<bool(const std::filesystem::path&)>& usable);

}  // namespace mamori
