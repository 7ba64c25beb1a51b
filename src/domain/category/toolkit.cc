#include "domain/category/toolkit.h"

#include "domain/category/warninglist_popularity.h"
#include "domain/dga/dga_classifier.h"
#include "domain/typosquat/lists.h"

namespace mamori::domain {

struct CategorizerToolkit::Parts {
  std::optional<ServiceLists> services;
  std::optional<WarningListPopularity> popularity;
  std::optional<TyposquatDetector> typosquat;
};

CategorizerToolkit::CategorizerToolkit() : parts_(std::make_unique<Parts>()) {}
CategorizerToolkit::~CategorizerToolkit() = default;

Expected<std::unique_ptr<CategorizerToolkit>> CategorizerToolkit::Build(
    const ToolkitOptions& options) {
  std::unique_ptr<CategorizerToolkit> kit(new CategorizerToolkit());
  Parts& parts = *kit->parts_;
  MAMORI_ASSIGN_OR_RETURN(auto services, ServiceLists::LoadBuiltin(options.service_dirs));
  parts.services.emplace(std::move(services));
  MAMORI_ASSIGN_OR_RETURN(auto popularity, WarningListPopularity::Load());
  parts.popularity.emplace(std::move(popularity));

  // The typosquat detector protects the shipped brand list (data/brands) plus the user's.
  auto sub = [&](const char* name) {
    return options.data_dir.empty() ? std::string() : options.data_dir + "/" + name;
  };
  const std::string brands_dir = FindListDir(sub("brands"), "brands");
  const std::string lists_dir = FindListDir(sub("typosquat"), "typosquat");
  if (!brands_dir.empty() && !lists_dir.empty()) {
    MAMORI_ASSIGN_OR_RETURN(auto brands, LoadList(brands_dir + "/top-sites.txt"));
    if (!options.brands_file.empty()) {
      MAMORI_ASSIGN_OR_RETURN(auto extra, LoadList(options.brands_file));
      brands.insert(brands.end(), extra.begin(), extra.end());
    }
    MAMORI_ASSIGN_OR_RETURN(auto lists, LoadFuzzerLists(lists_dir));
    MAMORI_ASSIGN_OR_RETURN(auto detector, TyposquatDetector::Build(brands, lists));
    parts.typosquat.emplace(std::move(detector));
  } else if (!options.brands_file.empty()) {
    return MakeError(ErrorCode::kNotFound,
                     "extra brands need the shipped word and TLD lists (data/typosquat): give the "
                     "data directory",
                     options.brands_file);
  }

  CategorizerOptions categorizer;
  if (options.dga) {
    MAMORI_ASSIGN_OR_RETURN(const DgaClassifier* dga, DgaClassifier::BuiltIn());
    categorizer.dga = dga;
  }
  categorizer.typosquat = parts.typosquat ? &*parts.typosquat : nullptr;
  categorizer.popularity = &*parts.popularity;
  kit->categorizer_ = std::make_unique<Categorizer>(*parts.services, categorizer);
  return kit;
}

}  // namespace mamori::domain
