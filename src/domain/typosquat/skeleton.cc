#include "domain/typosquat/skeleton.h"

#include "domain/typosquat/internal/tables.h"
#include "core/utf8.h"

namespace mamori::domain {

std::string ConfusableSkeleton(std::string_view label) {
  std::string folded;
  folded.reserve(label.size());
  auto push = [&folded](char32_t c) {
    if (c >= 'A' && c <= 'Z') c += 32;
    switch (c) {
      case '-':
        return;  // hyphenation squats read as the brand
      case '0':
        c = 'o';
        break;
      case '1':
      case 'i':
        c = 'l';  // l, I, 1 and i are one vertical stroke in many fonts
        break;
      default:
        break;
    }
    if (c < 0x80) {
      folded.push_back(static_cast<char>(c));
    } else {
      AppendUtf8(c, folded);
    }
  };
  if (IsAscii(label)) {
    for (char c : label) push(static_cast<unsigned char>(c));
  } else {
    for (char32_t c : DecodeUtf8(label)) {
      if (c >= 0x80) {
        if (char32_t ascii = internal::FoldConfusable(c)) c = ascii;
      }
      push(c);
    }
  }
  // Two-letter lookalikes, after folding, so a Cyrillic 'г' before 'n' also reads as "m".
  std::string out;
  out.reserve(folded.size());
  for (size_t i = 0; i < folded.size(); ++i) {
    if (i + 1 < folded.size()) {
      if (folded[i] == 'r' && folded[i + 1] == 'n') {
        out.push_back('m');
        ++i;
        continue;
      }
      if (folded[i] == 'v' && folded[i + 1] == 'v') {
        out.push_back('w');
        ++i;
        continue;
      }
    }
    out.push_back(folded[i]);
  }
  return out;
}

}  // namespace mamori::domain
