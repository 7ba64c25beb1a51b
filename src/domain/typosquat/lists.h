// Word, TLD and brand lists for the typosquat detector: one entry per line, '#' starts a
// comment, blank lines are skipped, entries are lower-cased. The shipped lists live in
// data/typosquat/ (words.txt, tlds.txt) and data/brands/ (top-sites.txt); users pass their own.
// Free functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "domain/typosquat/permutations.h"

namespace mamori::domain {

// Reads one list. Errors: the file cannot be read (kIo, with the path).
Expected<std::vector<std::string>> LoadList(const std::string& path);

// The directory holding the shipped `subdir` ("typosquat" or "brands"): `configured` if given,
// else data/<subdir> next to or above the binary, else /usr/share/mamori/<subdir>; "" when none
// exists (core/data_dir.h).
std::string FindListDir(const std::string& configured, const std::string& subdir);

// words.txt and tlds.txt from `dir` (a data/typosquat directory).
Expected<FuzzerLists> LoadFuzzerLists(const std::string& dir);

}  // namespace mamori::domain
