// Character tables behind the typosquat fuzzers and the confusable skeleton: keyboard
// neighbours, homoglyphs and Latin->Cyrillic lookalikes. Written for mamori; the glyph sets are
// chosen to contain every substitution dnstwist (Debian 0~20221213) makes, which the oracle test
// checks. All tables are built once on first use and are read-only afterwards (thread-safe).
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mamori::domain::internal {

// Keys next to `c` on a QWERTY, QWERTZ or AZERTY keyboard (the union is not taken: each layout
// is one entry so a fuzzer can say which layouts it uses). Empty for keys not on the layouts.
const std::array<std::u32string, 3>& KeyboardNeighbours(char32_t c);

// Lookalikes of an ASCII letter or digit, each one or more code points ("rn" for 'm', 'ạ' for
// 'a'). `ascii_only` leaves out the non-ASCII ones.
const std::vector<std::u32string>& Homoglyphs(char32_t c, bool ascii_only);

// The Cyrillic letter that looks like Latin `c`, or 0 when there is none.
char32_t LatinToCyrillic(char32_t c);

// The ASCII letter or digit a single non-ASCII lookalike stands for (homoglyph table, Cyrillic,
// Greek and a few more), or 0 when `c` is not a known lookalike. Unique by construction: every
// non-ASCII glyph in the tables stands for exactly one ASCII character.
char32_t FoldConfusable(char32_t c);

}  // namespace mamori::domain::internal
