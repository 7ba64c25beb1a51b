// CategorizerToolkit: the categorizer with everything it consults, built once — the service
// lists (built-in + the user's directories), popularity from the built-in warning lists (Tranco
// top 10k, top-sites), the typosquat detector over the shipped brand list (+ the user's) and the
// built-in DGA model. `mamori domain categorize` and `mamori serve` (GET
// /api/v1/domains/<name>/category) both use it, so they answer alike.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "domain/category/categorizer.h"

namespace mamori::domain {

struct ToolkitOptions {
  std::vector<std::filesystem::path> service_dirs;  // extra service lists (*.txt)
  std::string brands_file;  // extra brands, one registrable domain per line
  std::string data_dir;     // holds brands/ and typosquat/; "" = the shipped data/ (data_dir.h)
  bool dga = true;          // false: no DGA evidence (answers say the model is not loaded)
};

class CategorizerToolkit {
 public:
  // Errors name the list or file that failed. Building the typosquat index takes about half a
  // second for the shipped brands (docs/benchmarks.md, issue 6).
  static Expected<std::unique_ptr<CategorizerToolkit>> Build(const ToolkitOptions& options);
  ~CategorizerToolkit();

  const Categorizer& categorizer() const { return *categorizer_; }

 private:
  CategorizerToolkit();
  struct Parts;
  std::unique_ptr<Parts> parts_;
  std::unique_ptr<Categorizer> categorizer_;
};

}  // namespace mamori::domain
