// UTF-8 <-> UTF-32 conversion by code point (the typosquat code edits labels so: a
// homoglyph such as 'ạ' is one character to replace, not three bytes).
// Invalid UTF-8 bytes decode to U+FFFD so hostile input never stops a scan; pure functions.
#pragma once

#include <string>
#include <string_view>

namespace mamori {

std::u32string DecodeUtf8(std::string_view text);
std::string EncodeUtf8(std::u32string_view text);
void AppendUtf8(char32_t c, std::string& out);
bool IsAscii(std::string_view text);

}  // namespace mamori
