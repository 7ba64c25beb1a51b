// KeyValueScanner: the one key=value tokenizer of the device-log parsers, in the two shapes
// devices write:
//   kQuoted — FortiGate and most UTMs: `key=value key="value with spaces"`; an unquoted value
//             ends at the next space, a quoted one at its closing quote (\" does not close it).
//   kCef    — ArcSight CEF extensions: `key=value with spaces key2=v`; a value runs until the
//             next ` key=` (a space, a key of [A-Za-z0-9_.-[]] and an unescaped '='), and a '='
//             inside a value is written `\=`.
// Values come back as written (views into the text) plus whether they hold escapes; Unescape()
// decodes those into an Arena. No allocation; a view over the caller's text, so the text must
// outlive the scanner. Not thread-safe (it is a cursor); cheap to create per line.
#pragma once

#include <string_view>

#include "rse/ingest/event.h"

namespace mamori::rse::ingest::kv {

enum class KvStyle { kQuoted, kCef };

struct KeyValue {
  std::string_view key;
  std::string_view value;  // quotes removed, escapes kept
  bool escaped = false;    // value holds a backslash escape: Unescape() before use
};

class KeyValueScanner {
 public:
  KeyValueScanner(std::string_view text, KvStyle style) : text_(text), style_(style) {}

  // The next pair; false at the end. Words without '=' between pairs (kQuoted) are skipped;
  // `malformed()` says whether the text ended inside an open quote.
  bool Next(KeyValue& out);
  bool malformed() const { return malformed_; }

 private:
  bool NextQuoted(KeyValue& out);
  bool NextCef(KeyValue& out);

  std::string_view text_;
  KvStyle style_;
  size_t pos_ = 0;
  bool malformed_ = false;
};

// Decodes the escapes of `value` (kQuoted: \" \\; kCef: \= \\ \| \n \r) into `arena`; returns
// `value` itself when `escaped` is false.
std::string_view Unescape(const KeyValue& pair, KvStyle style, Arena& arena);

// CEF header field: `\|` and `\\` decoded into `arena` when present.
std::string_view UnescapeCefHeader(std::string_view value, Arena& arena);

}  // namespace mamori::rse::ingest::kv
