#include "rse/ingest/parsers/key_value.h"

namespace mamori::rse::ingest::kv {
namespace {

bool IsKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-' || c == '[' || c == ']';
}

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

bool KeyValueScanner::Next(KeyValue& out) {
  return style_ == KvStyle::kCef ? NextCef(out) : NextQuoted(out);
}

bool KeyValueScanner::NextQuoted(KeyValue& out) {
  while (pos_ < text_.size()) {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '<') {
      // A syslog <PRI> glued to the first pair: "<189>date=...".
      size_t close = text_.find('>', pos_);
      if (close != std::string_view::npos && close - pos_ <= 4) pos_ = close + 1;
    }
    size_t key_start = pos_;
    while (pos_ < text_.size() && IsKeyChar(text_[pos_])) ++pos_;
    if (pos_ == key_start || pos_ >= text_.size() || text_[pos_] != '=') {
      // Not a pair (a syslog header word, stray text): skip to the next space.
      while (pos_ < text_.size() && !IsSpace(text_[pos_])) ++pos_;
      continue;
    }
    out.key = text_.substr(key_start, pos_ - key_start);
    ++pos_;  // '='
    out.escaped = false;
    if (pos_ < text_.size() && text_[pos_] == '"') {
      size_t start = ++pos_;
      while (pos_ < text_.size() && text_[pos_] != '"') {
        if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) {
          out.escaped = true;
          ++pos_;
        }
        ++pos_;
      }
      if (pos_ >= text_.size()) {
        malformed_ = true;  // unclosed quote: keep what there is
        out.value = text_.substr(start);
        return true;
      }
      out.value = text_.substr(start, pos_ - start);
      ++pos_;  // closing quote
      return true;
    }
    size_t start = pos_;
    while (pos_ < text_.size() && !IsSpace(text_[pos_])) ++pos_;
    out.value = text_.substr(start, pos_ - start);
    return true;
  }
  return false;
}

bool KeyValueScanner::NextCef(KeyValue& out) {
  while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
  if (pos_ >= text_.size()) return false;
  size_t key_start = pos_;
  while (pos_ < text_.size() && IsKeyChar(text_[pos_])) ++pos_;
  if (pos_ == key_start || pos_ >= text_.size() || text_[pos_] != '=') {
    malformed_ = true;  // the extension does not start with key=
    pos_ = text_.size();
    return false;
  }
  out.key = text_.substr(key_start, pos_ - key_start);
  size_t value_start = ++pos_;
  out.escaped = false;
  // The value ends before the next unescaped '=' whose key is preceded by a space.
  for (size_t i = value_start; i < text_.size(); ++i) {
    char c = text_[i];
    if (c == '\\') {
      out.escaped = true;
      ++i;
      continue;
    }
    if (c != '=') continue;
    size_t k = i;
    while (k > value_start && IsKeyChar(text_[k - 1])) --k;
    if (k < i && k > value_start && IsSpace(text_[k - 1])) {
      out.value = TrimRight(text_.substr(value_start, k - 1 - value_start));
      pos_ = k;
      return true;
    }
    // A bare '=' inside the value (should have been escaped): part of the value.
  }
  out.value = TrimRight(text_.substr(value_start));
  pos_ = text_.size();
  return true;
}

std::string_view Unescape(const KeyValue& pair, KvStyle style, Arena& arena) {
  if (!pair.escaped) return pair.value;
  std::string_view in = pair.value;
  char* out = arena.Reserve(in.size());
  size_t n = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '\\' && i + 1 < in.size()) {
      char next = in[++i];
      if (style == KvStyle::kCef && next == 'n') {
        c = '\n';
      } else if (style == KvStyle::kCef && next == 'r') {
        c = '\r';
      } else if (next == '\\' || next == '"' || next == '=' || next == '|') {
        c = next;
      } else {
        out[n++] = '\\';  // unknown escape: keep it as written
        c = next;
      }
    }
    out[n++] = c;
  }
  return arena.Commit(n);
}

std::string_view UnescapeCefHeader(std::string_view value, Arena& arena) {
  if (value.find('\\') == std::string_view::npos) return value;
  KeyValue pair{{}, value, true};
  return Unescape(pair, KvStyle::kCef, arena);
}

}  // namespace mamori::rse::ingest::kv
