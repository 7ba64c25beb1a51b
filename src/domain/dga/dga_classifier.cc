#include "domain/dga/dga_classifier.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "domain/dga/embedded_data.h"

namespace mamori::domain {

DgaClassifier::DgaClassifier(dga::DgaModel model)
    : model_(std::make_unique<const dga::DgaModel>(std::move(model))),
      extractor_(std::make_unique<const dga::FeatureExtractor>(model_->ngrams, model_->lexicon)) {}

Expected<DgaClassifier> DgaClassifier::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return MakeError(ErrorCode::kIo, "cannot open the DGA model file; check the path", path);
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return MakeError(ErrorCode::kIo, "cannot read the DGA model file", path);
  return FromJson(text.str(), path);
}

Expected<DgaClassifier> DgaClassifier::FromJson(std::string_view text, const std::string& context) {
  MAMORI_ASSIGN_OR_RETURN(dga::DgaModel model, dga::ParseDgaModel(text, context));
  return DgaClassifier(std::move(model));
}

Expected<const DgaClassifier*> DgaClassifier::BuiltIn() {
  static const Expected<DgaClassifier> kModel = []() -> Expected<DgaClassifier> {
    std::optional<std::string_view> text = dga::EmbeddedDgaFile("model.json");
    if (!text) {
      return MakeError(ErrorCode::kNotFound, "this build embedded no DGA model",
                       "data/dga/model.json");
    }
    return FromJson(*text, "built-in DGA model (data/dga/model.json)");
  }();
  if (!kModel) return tl::unexpected(kModel.error());
  return &*kModel;
}

dga::FeatureVector DgaClassifier::Features(const dga::LabelParts& parts) const {
  return extractor_->Extract(parts);
}

double DgaClassifier::ProbabilityOfLabel(const dga::LabelParts& parts) const {
  const dga::FeatureVector f = extractor_->Extract(parts);
  return model_->trees.Probability(f);
}

double DgaClassifier::Probability(std::string_view domain) const {
  std::optional<dga::LabelParts> parts = dga::SplitLabel(domain);
  if (!parts || parts->label.empty()) return 0.0;
  return ProbabilityOfLabel(*parts);
}

}  // namespace mamori::domain
