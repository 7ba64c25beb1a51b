// JsonLine: the simdjson On-Demand reader shared by the JSON log parsers (Suricata EVE,
// ModSecurity, Zeek JSON), and the few helpers they all need to read values as event text.
//
// Ownership: a JsonLine owns one simdjson parser and one padded copy of the current line, both
// reused line after line (no allocation once they have grown to the longest line). Every string
// view it hands out — unescaped strings (written by simdjson into the parser's string buffer),
// number tokens (pointing into the padded copy) — stays valid until the next Iterate() on the
// same JsonLine, which is exactly the lifetime LogParser promises for an Event's values.
//
// Nothing here throws: simdjson is used through its error-code API only. Not thread-safe; one
// per parser object.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>
#include <utility>

#include "rse/ingest/event.h"
#include "rse/ingest/log_parser.h"

namespace mamori::rse::ingest::json {

namespace od = simdjson::ondemand;

class JsonLine {
 public:
  // Starts reading `line` as one JSON document. On error, `reason` (a static string) says why.
  // The document refers to this object's buffers: use it before the next Iterate().
  bool Iterate(std::string_view line, od::document& doc, std::string_view& reason);

 private:
  od::parser parser_;
  std::string padded_;  // the line followed by SIMDJSON_PADDING bytes
};

// Whether the document has been read to its end (nothing follows the root value), after the
// root value has been iterated.
bool AtEnd(od::document& doc);

// The key of an object field as written between its quotes (escapes not decoded: the keys the
// parsers look for are plain ASCII, so a key with an escape simply matches none of them).
std::string_view KeyOf(const od::field& field);

// The text of a scalar value as an event field holds it: a string unescaped, a number as
// written ("443", "1.1"), a boolean as "true"/"false". `out` is left empty for null, objects and
// arrays (a wrong type leaves the field absent). Returns a simdjson error only when the JSON
// itself is broken (bad escape, bad number), which makes the line malformed.
simdjson::error_code ScalarText(od::value& value, std::string_view& out);

// Non-negative integer value (a JSON number or a string of digits); false when not one.
bool UnsignedValue(od::value& value, uint64_t& out);

// Returns the JSON error of `expr`, if any, from the enclosing function.
#define MAMORI_JSON_TRY(expr)                                                        \
  do {                                                                               \
    if (simdjson::error_code mamori_json_error_ = (expr)) return mamori_json_error_; \
  } while (0)

// Iterates the fields of `v` when it is an object; a value of another type is ignored.
template <typename Fn>
simdjson::error_code ForEachField(od::value& v, Fn&& fn) {
  od::object obj;
  simdjson::error_code error = v.get_object().get(obj);
  if (error == simdjson::INCORRECT_TYPE) return simdjson::SUCCESS;
  MAMORI_JSON_TRY(error);
  for (auto result : obj) {
    od::field f;
    MAMORI_JSON_TRY(std::move(result).get(f));
    MAMORI_JSON_TRY(fn(json::KeyOf(f), f.value()));
  }
  return simdjson::SUCCESS;
}

// Calls `fn(element)` on each element of `v` when it is an array; other types are ignored.
template <typename Fn>
simdjson::error_code ForEachElement(od::value& v, Fn&& fn) {
  od::array arr;
  simdjson::error_code error = v.get_array().get(arr);
  if (error == simdjson::INCORRECT_TYPE) return simdjson::SUCCESS;
  MAMORI_JSON_TRY(error);
  for (auto result : arr) {
    od::value element;
    MAMORI_JSON_TRY(std::move(result).get(element));
    MAMORI_JSON_TRY(fn(element));
  }
  return simdjson::SUCCESS;
}

// Calls `fn` on the first element of `v` when it is a non-empty array (skipping the rest).
template <typename Fn>
simdjson::error_code ForFirstElement(od::value& v, Fn&& fn) {
  od::array arr;
  simdjson::error_code error = v.get_array().get(arr);
  if (error == simdjson::INCORRECT_TYPE) return simdjson::SUCCESS;
  MAMORI_JSON_TRY(error);
  bool first = true;
  for (auto result : arr) {
    od::value element;
    MAMORI_JSON_TRY(std::move(result).get(element));
    if (first) MAMORI_JSON_TRY(fn(element));
    first = false;
  }
  return simdjson::SUCCESS;
}

// Sets `target` from a scalar value (absent when the value is null or not a scalar).
inline simdjson::error_code SetScalar(Event& event, Field target, od::value& v) {
  std::string_view text;
  MAMORI_JSON_TRY(json::ScalarText(v, text));
  if (!text.empty()) event.Set(target, text);
  return simdjson::SUCCESS;
}

// A static description of a simdjson error, for ParseResult::Malformed.
std::string_view ErrorReason(simdjson::error_code error);

}  // namespace mamori::rse::ingest::json

namespace mamori::rse::ingest {

// Base of the parsers whose every line is one JSON object (Suricata EVE, ModSecurity): the
// prologue they share — the raw line, the length cap, blank lines, the arena reset, and the one
// catch for simdjson's allocation failures (it is otherwise used through error codes) — around
// the format's own ParseJson().
class JsonObjectParser : public LogParser {
 public:
  explicit JsonObjectParser(const ParserOptions& options) : options_(options) {}
  ParseResult Parse(std::string_view line, Event& event) final;

 protected:
  // `line` is neither blank nor over-long; arena_ has been reset.
  virtual ParseResult ParseJson(std::string_view line, Event& event) = 0;

  ParserOptions options_;
  json::JsonLine json_;
  Arena arena_;
};

}  // namespace mamori::rse::ingest
