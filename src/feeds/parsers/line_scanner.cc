#include "feeds/parsers/line_scanner.h"

#include <cstring>

namespace mamori::feeds::parsers {

namespace {
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
}  // namespace

LineScanner::LineScanner(std::string_view body) : body_(body) {
  if (body_.starts_with(kUtf8Bom)) body_.remove_prefix(kUtf8Bom.size());
}

bool LineScanner::Next(std::string_view& line) {
  if (offset_ >= body_.size()) return false;
  const char* begin = body_.data() + offset_;
  size_t left = body_.size() - offset_;
  // memchr is vectorized in glibc; it is most of the speed of the line loop.
  const void* nl = std::memchr(begin, '\n', left);
  size_t len = nl ? static_cast<size_t>(static_cast<const char*>(nl) - begin) : left;
  offset_ += nl ? len + 1 : len;
  if (len > 0 && begin[len - 1] == '\r') --len;
  line = std::string_view(begin, len);
  ++line_number_;
  return true;
}

size_t LineScanner::CountLines(std::string_view body) {
  size_t n = 0;
  const char* p = body.data();
  const char* end = p + body.size();
  while (p < end) {
    const void* nl = std::memchr(p, '\n', static_cast<size_t>(end - p));
    ++n;
    if (!nl) break;
    p = static_cast<const char*>(nl) + 1;
  }
  return n;
}

std::string_view Trim(std::string_view s) {
  size_t b = 0;
  while (b < s.size() && IsBlank(s[b])) ++b;
  size_t e = s.size();
  while (e > b && IsBlank(s[e - 1])) --e;
  return s.substr(b, e - b);
}

bool IsFullLineComment(std::string_view trimmed) {
  if (trimmed.empty()) return false;
  char c = trimmed.front();
  return c == '#' || c == ';' || (c == '/' && trimmed.size() > 1 && trimmed[1] == '/');
}

std::string_view StripInlineComment(std::string_view line) {
  for (size_t i = 1; i < line.size(); ++i) {
    if ((line[i] == '#' || line[i] == ';') && IsBlank(line[i - 1])) {
      return Trim(line.substr(0, i));
    }
  }
  return Trim(line);
}

std::string_view NextToken(std::string_view& rest) {
  size_t b = 0;
  while (b < rest.size() && IsBlank(rest[b])) ++b;
  size_t e = b;
  while (e < rest.size() && !IsBlank(rest[e])) ++e;
  std::string_view token = rest.substr(b, e - b);
  rest.remove_prefix(e);
  return token;
}

}  // namespace mamori::feeds::parsers
