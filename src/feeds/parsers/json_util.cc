#include "feeds/parsers/json_util.h"

#include <charconv>

namespace mamori::feeds::parsers {

Expected<nlohmann::json> ParseJson(std::string_view body, std::string_view origin) {
  try {
    return nlohmann::json::parse(body.begin(), body.end());
  } catch (const nlohmann::json::exception& e) {
    return MakeError(ErrorCode::kCorrupt, std::string("not valid JSON: ") + e.what(),
                     std::string(origin));
  }
}

namespace {
const nlohmann::json* Field(const nlohmann::json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}
}  // namespace

std::string_view GetString(const nlohmann::json& obj, std::string_view key) {
  const nlohmann::json* v = Field(obj, key);
  if (v == nullptr || !v->is_string()) return {};
  return v->get_ref<const std::string&>();
}

std::optional<int64_t> GetInt(const nlohmann::json& obj, std::string_view key) {
  const nlohmann::json* v = Field(obj, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_number_integer()) return v->get<int64_t>();
  if (v->is_number_unsigned()) {
    uint64_t u = v->get<uint64_t>();
    if (u > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<int64_t>(u);
  }
  if (v->is_string()) {
    const std::string& s = v->get_ref<const std::string&>();
    int64_t out = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    if (!s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size()) return out;
  }
  return std::nullopt;
}

std::optional<bool> GetBool(const nlohmann::json& obj, std::string_view key) {
  const nlohmann::json* v = Field(obj, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_boolean()) return v->get<bool>();
  if (v->is_number_integer() || v->is_number_unsigned()) return v->get<int64_t>() != 0;
  if (v->is_string()) {
    const std::string& s = v->get_ref<const std::string&>();
    if (s == "1" || s == "true" || s == "True") return true;
    if (s == "0" || s == "false" || s == "False") return false;
  }
  return std::nullopt;
}

const nlohmann::json* GetArray(const nlohmann::json& obj, std::string_view key) {
  const nlohmann::json* v = Field(obj, key);
  return v != nullptr && v->is_array() ? v : nullptr;
}

std::string JsonExcerpt(const nlohmann::json& value) {
  // dump() throws on invalid UTF-8 in strings unless told to replace it.
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace mamori::feeds::parsers
