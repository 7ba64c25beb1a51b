// Helpers shared by the `mamori domain` subcommands: reading names from arguments, files and
// stdin; loading a reputation model; opening IP → ASN databases.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "domain/reputation/eval.h"
#include "domain/reputation/evidence_index.h"
#include "domain/reputation/model.h"

namespace mamori::cli {

// Appends `args` ("-" reads stdin) and the lines of each file in `files` ("-" = stdin) to
// `items`; blank lines and '#' comments are skipped.
Status CollectDomainItems(const std::vector<std::string>& args,
                          const std::vector<std::string>& files, std::vector<std::string>& items);

// The model at `path`, or the built-in one when `path` is empty. With `language_only` only the
// lexical language model matters (training a new model): the empty path then gives the built-in
// DGA model's n-grams and word list.
Expected<domain::reputation::ReputationModel> LoadReputationModel(const std::string& path,
                                                                  bool language_only = false);

// An annotator over the given .mmdb / iptoasn files (none: an empty annotator, no ASN data).
Expected<domain::reputation::AddressAnnotator> OpenAddressAnnotator(
    const std::vector<std::string>& paths);

// A truth CSV for `domain eval --truth`: a header naming a `domain` column and either a
// `malicious` column (1/0, true/false) or a `label` column (malicious/benign); an optional `kind`
// column. `mamori sim domains` writes one (truth.csv); a labels file also qualifies.
Expected<domain::reputation::Truth> ReadTruthFile(const std::string& path);

}  // namespace mamori::cli
