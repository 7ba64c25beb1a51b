#include "feeds/parsers/csv_reader.h"

#include <algorithm>
#include <cstring>

namespace mamori::feeds::parsers {

CsvReader::CsvReader(std::string_view body, char delimiter)
    : scanner_(body), text_(scanner_.text()), delimiter_(delimiter) {}

CsvReader::Kind CsvReader::Next() {
  std::string_view line;
  if (!scanner_.Next(line)) return Kind::kEnd;
  line_ = scanner_.line_number();
  lines_spanned_ = 1;
  first_line_ = line;
  fields_.clear();
  error_.clear();
  std::string_view trimmed = Trim(line);
  if (trimmed.empty()) return Kind::kBlank;
  if (trimmed.front() == '#') return Kind::kComment;

  if (line.find('"') == std::string_view::npos) {
    // Most rows of most feeds have no quotes: split the line in place.
    std::string_view rest = line;
    while (true) {
      size_t d = rest.find(delimiter_);
      fields_.push_back(Trim(rest.substr(0, d)));
      if (d == std::string_view::npos) break;
      rest.remove_prefix(d + 1);
    }
    return Kind::kRecord;
  }

  size_t begin = static_cast<size_t>(line.data() - text_.data());
  size_t end = 0;
  if (!ParseRecord(begin, end)) return Kind::kMalformed;  // resume on the next line
  std::string_view record = text_.substr(begin, end - begin);
  size_t newlines = static_cast<size_t>(std::count(record.begin(), record.end(), '\n'));
  lines_spanned_ = std::max<size_t>(1, newlines + (record.ends_with('\n') ? 0 : 1));
  scanner_.Restore({end, line_ + lines_spanned_ - 1});
  fields_.reserve(spans_.size());
  for (const FieldSpan& span : spans_) {
    fields_.push_back(span.in_scratch ? std::string_view(scratch_).substr(span.begin, span.size)
                                      : text_.substr(span.begin, span.size));
  }
  return Kind::kRecord;
}

bool CsvReader::ParseRecord(size_t begin, size_t& end) {
  const char* s = text_.data();
  const size_t n = text_.size();
  spans_.clear();
  scratch_.clear();
  auto is_pad = [&](char c) { return (c == ' ' || c == '\t') && c != delimiter_; };
  size_t i = begin;
  while (true) {
    size_t j = i;
    while (j < n && is_pad(s[j])) ++j;
    if (j < n && s[j] == '"') {
      size_t k = j + 1;
      size_t close = 0;
      bool escaped = false;
      while (true) {
        const void* q = std::memchr(s + k, '"', n - k);
        if (q == nullptr) {
          error_ = "unterminated quoted field";
          return false;
        }
        size_t qi = static_cast<size_t>(static_cast<const char*>(q) - s);
        if (qi + 1 < n && s[qi + 1] == '"') {
          escaped = true;
          k = qi + 2;
          continue;
        }
        close = qi;
        break;
      }
      if (escaped) {
        FieldSpan span{true, scratch_.size(), 0};
        for (size_t p = j + 1; p < close; ++p) {
          scratch_.push_back(s[p]);
          if (s[p] == '"') ++p;  // the second quote of a doubled pair
        }
        span.size = scratch_.size() - span.begin;
        spans_.push_back(span);
      } else {
        spans_.push_back({false, j + 1, close - j - 1});
      }
      i = close + 1;
      while (i < n && is_pad(s[i])) ++i;
      if (i < n && s[i] == delimiter_) {
        ++i;
        continue;
      }
      if (i >= n || (s[i] == '\r' && i + 1 == n)) {
        end = n;
        return true;
      }
      if (s[i] == '\n' || (s[i] == '\r' && s[i + 1] == '\n')) {
        end = s[i] == '\n' ? i + 1 : i + 2;
        return true;
      }
      error_ = "text after a closing quote (a quote inside a quoted field must be doubled)";
      return false;
    }
    size_t k = i;
    while (k < n && s[k] != delimiter_ && s[k] != '\n') ++k;
    std::string_view field = Trim(text_.substr(i, k - i));
    spans_.push_back({false, static_cast<size_t>(field.data() - s), field.size()});
    if (k < n && s[k] == delimiter_) {
      i = k + 1;
      continue;
    }
    end = k < n ? k + 1 : n;
    return true;
  }
}

}  // namespace mamori::feeds::parsers
