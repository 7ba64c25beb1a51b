#include "domain/typosquat/internal/tables.h"

#include "core/utf8.h"

namespace mamori::domain::internal {

namespace {

// Rows of each layout, top (digits) to bottom. Neighbours are derived from the geometry of a
// staggered keyboard instead of being listed: a key in row r, column c touches c-1 and c+1 in its
// own row, c and c+1 in the row above and c-1 and c in the row below.
constexpr std::array<std::array<std::string_view, 4>, 3> kLayouts = {{
    {"1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"},  // QWERTY
    {"1234567890", "qwertzuiop", "asdfghjkl", "yxcvbnm"},  // QWERTZ
    {"1234567890", "azertyuiop", "qsdfghjklm", "wxcvbn"},  // AZERTY
}};

using NeighbourTable = std::unordered_map<char32_t, std::array<std::u32string, 3>>;

NeighbourTable BuildNeighbours() {
  NeighbourTable table;
  for (size_t layout = 0; layout < kLayouts.size(); ++layout) {
    const auto& rows = kLayouts[layout];
    auto key_at = [&](int row, int col) -> char32_t {
      if (row < 0 || row >= static_cast<int>(rows.size())) return 0;
      if (col < 0 || col >= static_cast<int>(rows[row].size())) return 0;
      return static_cast<char32_t>(rows[row][col]);
    };
    for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
      for (int c = 0; c < static_cast<int>(rows[r].size()); ++c) {
        std::u32string& out = table[key_at(r, c)][layout];
        for (auto [dr, dc] : {std::pair{0, -1}, {0, 1}, {-1, 0}, {-1, 1}, {1, -1}, {1, 0}}) {
          if (char32_t n = key_at(r + dr, c + dc)) out.push_back(n);
        }
      }
    }
  }
  return table;
}

// Lookalikes per ASCII character. Multi-character entries are ASCII sequences that render like
// the key ("rn" ~ "m"); the rest are single code points, mostly Latin letters with marks.
struct GlyphRow {
  char key;
  std::string_view ascii;    // space-separated ASCII lookalikes
  std::string_view unicode;  // concatenated single-code-point lookalikes (UTF-8)
};
constexpr GlyphRow kGlyphRows[] = {
    {'0', "o", ""},
    {'1', "l i", ""},
    {'2', "", "ƻ"},
    {'3', "8", ""},
    {'5', "", "ƽ"},
    {'6', "9", ""},
    {'8', "3", ""},
    {'9', "6", ""},
    {'a', "", "àáâãäåɑạǎăȧąə"},
    {'b', "d lb", "ʙɓḃḅḇƅ"},
    {'c', "e", "ƈċćçčĉᴄ"},
    {'d', "b cl dl", "ɗđďɖḑḋḍḏḓ"},
    {'e', "c", "éèêëēĕěėẹęȩɇḛ"},
    {'f', "", "ƒḟ"},
    {'g', "q", "ɢɡġğǵģĝǧǥ"},
    {'h', "lh", "ĥȟħɦḧḩⱨḣḥḫẖ"},
    {'i', "1 l", "íìïıɩǐĭỉịɨȋīɪ"},
    {'j', "", "ʝǰɉĵ"},
    {'k', "lk ik lc", "ḳḵⱪķᴋ"},
    {'l', "1 i", "ɫł"},
    {'m', "n nn rn rr", "ṁṃᴍɱḿ"},
    {'n', "m r", "ńṅṇṉñņǹňꞑ"},
    {'o', "0", "ȯọỏơóöᴏ"},
    {'p', "", "ƿƥṕṗ"},
    {'q', "g", "ʠ"},
    {'r', "", "ʀɼɽŕŗřɍɾȓȑṙṛṟ"},
    {'s', "", "ʂśṣṡșŝšꜱ"},
    {'t', "", "ţŧṫṭțƫ"},
    {'u', "", "ᴜǔŭüʉùúûũūųưůűȕȗụ"},
    {'v', "", "ṿⱱᶌṽⱴᴠ"},
    {'w', "vv", "ŵẁẃẅⱳẇẉẘᴡ"},
    {'x', "", "ẋẍ"},
    {'y', "", "ʏýÿŷƴȳɏỿẏỵ"},
    {'z', "", "ʐżźᴢƶẓẕⱬ"},
};

// Latin letters and the Cyrillic letters drawn the same way in common fonts.
constexpr std::pair<char, std::string_view> kCyrillic[] = {
    {'a', "а"}, {'b', "ь"}, {'c', "с"}, {'d', "ԁ"}, {'e', "е"}, {'g', "ԍ"}, {'h', "һ"},
    {'i', "і"}, {'j', "ј"}, {'k', "к"}, {'l', "ӏ"}, {'m', "м"}, {'o', "о"}, {'p', "р"},
    {'q', "ԛ"}, {'s', "ѕ"}, {'t', "т"}, {'v', "ѵ"}, {'w', "ԝ"}, {'x', "х"}, {'y', "у"},
};

// Further single-code-point lookalikes used only to fold candidates (never generated): Greek
// letters, more Cyrillic, and Latin letters with marks that the glyph rows leave out.
constexpr std::pair<char, std::string_view> kFoldOnly[] = {
    {'a', "αäāⓐ"}, {'b', "β"},  {'e', "εёэ"}, {'h', "н"}, {'i', "ιїΐ"}, {'k', "κ"},
    {'n', "ηп"},   {'o', "οσ"}, {'p', "ρ"},   {'t', "τ"}, {'u', "υμ"},  {'v', "ν"},
    {'w', "ω"},    {'x', "χ"},  {'y', "γүў"}, {'c', "ς"}, {'r', "г"},
};

struct GlyphTables {
  std::unordered_map<char32_t, std::vector<std::u32string>> all;
  std::unordered_map<char32_t, std::vector<std::u32string>> ascii;
  std::unordered_map<char32_t, char32_t> cyrillic;
  std::unordered_map<char32_t, char32_t> fold;
};

GlyphTables BuildGlyphs() {
  GlyphTables t;
  for (const GlyphRow& row : kGlyphRows) {
    const char32_t key = static_cast<unsigned char>(row.key);
    auto& all = t.all[key];
    auto& ascii = t.ascii[key];
    std::string_view rest = row.ascii;
    while (!rest.empty()) {
      size_t sp = rest.find(' ');
      std::string_view word = rest.substr(0, sp);
      std::u32string glyph(word.begin(), word.end());
      all.push_back(glyph);
      ascii.push_back(glyph);
      rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
    }
    for (char32_t g : DecodeUtf8(row.unicode)) {
      all.push_back(std::u32string(1, g));
      t.fold.emplace(g, key);
    }
  }
  for (const auto& [latin, cyr] : kCyrillic) {
    char32_t c = DecodeUtf8(cyr).front();
    t.cyrillic.emplace(static_cast<char32_t>(latin), c);
    t.fold.emplace(c, static_cast<char32_t>(latin));
  }
  for (const auto& [latin, glyphs] : kFoldOnly) {
    for (char32_t g : DecodeUtf8(glyphs)) t.fold.emplace(g, static_cast<char32_t>(latin));
  }
  return t;
}

const GlyphTables& Glyphs() {
  static const GlyphTables tables = BuildGlyphs();
  return tables;
}

}  // namespace

const std::array<std::u32string, 3>& KeyboardNeighbours(char32_t c) {
  static const NeighbourTable table = BuildNeighbours();
  static const std::array<std::u32string, 3> kNone;
  auto it = table.find(c);
  return it == table.end() ? kNone : it->second;
}

const std::vector<std::u32string>& Homoglyphs(char32_t c, bool ascii_only) {
  static const std::vector<std::u32string> kNone;
  const auto& table = ascii_only ? Glyphs().ascii : Glyphs().all;
  auto it = table.find(c);
  return it == table.end() ? kNone : it->second;
}

char32_t LatinToCyrillic(char32_t c) {
  auto it = Glyphs().cyrillic.find(c);
  return it == Glyphs().cyrillic.end() ? 0 : it->second;
}

char32_t FoldConfusable(char32_t c) {
  auto it = Glyphs().fold.find(c);
  return it == Glyphs().fold.end() ? 0 : it->second;
}

}  // namespace mamori::domain::internal
