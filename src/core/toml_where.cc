#include "core/toml_where.h"

#include <fmt/format.h>

namespace mamori {

std::string_view TomlTypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a floating-point number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

std::string TomlWhere(std::string_view origin, const toml::source_region& source) {
  if (source.begin.line == 0) return std::string(origin);
  return fmt::format("{}:{}", origin, source.begin.line);
}

}  // namespace mamori
