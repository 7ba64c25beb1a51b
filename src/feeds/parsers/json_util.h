// Small helpers for the JSON feed formats (MISP, STIX/TAXII, Spamhaus DROP JSON lines) over
// nlohmann::json: parse without letting an exception escape, and read fields of a hostile
// document without assuming their types. Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace mamori::feeds::parsers {

// Parses a whole document. On failure: kCorrupt, with nlohmann's description (which names the
// byte offset) as the message and `origin` as the context.
Expected<nlohmann::json> ParseJson(std::string_view body, std::string_view origin);

// obj[key] as a string; empty when `obj` is not an object, or the key is missing or not a
// string.
std::string_view GetString(const nlohmann::json& obj, std::string_view key);

// obj[key] as an integer; also accepts an integral JSON string ("75"), as MISP writes numbers
// as strings. nullopt when missing or not integral.
std::optional<int64_t> GetInt(const nlohmann::json& obj, std::string_view key);

// obj[key] as a boolean; also accepts 0/1 and "0"/"1"/"true"/"false" (MISP's to_ids has been
// written all these ways). nullopt when missing or unreadable.
std::optional<bool> GetBool(const nlohmann::json& obj, std::string_view key);

// obj[key] when it is an array, else nullptr.
const nlohmann::json* GetArray(const nlohmann::json& obj, std::string_view key);

// Compact JSON text of `value` for error excerpts (callers cut it further).
std::string JsonExcerpt(const nlohmann::json& value);

}  // namespace mamori::feeds::parsers
