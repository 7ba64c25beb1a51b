// Small helpers for TOML error messages, shared by mamori.toml (core/config.cc) and device
// profiles (rse/blocklist/profile.cc): where a value is, and what type it has, in words.
#pragma once

#include <toml++/toml.h>

#include <string>
#include <string_view>

namespace mamori {

// "a string", "an integer", ... for "expected X, got Y" messages.
std::string_view TomlTypeName(const toml::node& node);
// "origin:line" when the position is known, else just "origin".
std::string TomlWhere(std::string_view origin, const toml::source_region& source);

}  // namespace mamori
