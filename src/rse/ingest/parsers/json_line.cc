#include "rse/ingest/parsers/json_line.h"

#include <charconv>
#include <cstring>
#include <exception>

#include "rse/ingest/parsers/log_scan.h"

namespace mamori::rse::ingest::json {

bool JsonLine::Iterate(std::string_view line, od::document& doc, std::string_view& reason) {
  // simdjson reads up to SIMDJSON_PADDING bytes past the end of its input, and a caller's line
  // has no such guarantee: copy it into a buffer that does (a memcpy of a few hundred bytes,
  // cheap next to parsing). resize() only grows, so the steady state allocates nothing.
  size_t needed = line.size() + simdjson::SIMDJSON_PADDING;
  if (padded_.size() < needed) padded_.resize(needed);
  if (!line.empty()) std::memcpy(padded_.data(), line.data(), line.size());
  std::memset(padded_.data() + line.size(), 0, simdjson::SIMDJSON_PADDING);
  auto error = parser_.iterate(padded_.data(), line.size(), padded_.size()).get(doc);
  if (error) {
    reason = ErrorReason(error);
    return false;
  }
  return true;
}

bool AtEnd(od::document& doc) {
  // current_location() fails with OUT_OF_BOUNDS once every token has been consumed.
  const char* location = nullptr;
  return doc.current_location().get(location) != simdjson::SUCCESS;
}

std::string_view KeyOf(const od::field& field) {
  // raw() points just past the opening quote of a key that simdjson's first stage has already
  // seen closed, so the scan stops inside the document.
  const char* start = field.key().raw();
  const char* p = start;
  while (*p != '"') p += (*p == '\\') ? 2 : 1;
  return {start, static_cast<size_t>(p - start)};
}

namespace {

bool IsNumberText(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')) {
      return false;
    }
  }
  return true;
}

std::string_view TrimJsonSpace(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' ||
                           text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

simdjson::error_code ScalarText(od::value& value, std::string_view& out) {
  out = {};
  od::json_type type;
  if (auto error = value.type().get(type)) return error;
  switch (type) {
    case od::json_type::string:
      return value.get_string().get(out);
    case od::json_type::number: {
      std::string_view raw = TrimJsonSpace(value.raw_json_token());
      if (!IsNumberText(raw)) return simdjson::NUMBER_ERROR;
      out = raw;
      return simdjson::SUCCESS;
    }
    case od::json_type::boolean: {
      bool flag = false;
      if (auto error = value.get_bool().get(flag)) return error;
      out = flag ? "true" : "false";
      return simdjson::SUCCESS;
    }
    default:
      return simdjson::SUCCESS;
  }
}

bool UnsignedValue(od::value& value, uint64_t& out) {
  std::string_view text;
  if (ScalarText(value, text) != simdjson::SUCCESS || text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

std::string_view ErrorReason(simdjson::error_code error) {
  switch (error) {
    case simdjson::UTF8_ERROR:
      return "invalid UTF-8 in JSON";
    case simdjson::UNCLOSED_STRING:
      return "unclosed JSON string";
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
      return "truncated JSON (unclosed object or array)";
    case simdjson::STRING_ERROR:
      return "bad escape in JSON string";
    case simdjson::NUMBER_ERROR:
      return "bad JSON number";
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR:
      return "bad JSON literal";
    case simdjson::EMPTY:
      return "empty JSON document";
    case simdjson::DEPTH_ERROR:
      return "JSON nested too deeply";
    case simdjson::CAPACITY:
      return "JSON document too large";
    default:
      // simdjson's messages are static strings.
      return simdjson::error_message(error);
  }
}

}  // namespace mamori::rse::ingest::json

namespace mamori::rse::ingest {

ParseResult JsonObjectParser::Parse(std::string_view line, Event& event) {
  event.raw = line;
  if (line.size() > options_.max_line_bytes) return ParseResult::Malformed("line too long");
  if (scan::TrimRight(line).empty()) return ParseResult::Skip();
  arena_.Reset();
  try {
    return ParseJson(line, event);
  } catch (const std::exception&) {
    return ParseResult::Malformed("JSON parser failure");
  }
}

}  // namespace mamori::rse::ingest
