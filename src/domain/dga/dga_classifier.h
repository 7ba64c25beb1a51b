// DgaClassifier: the character-level DGA model behind DgaScorer (domain/dga_scorer.h). It splits
// a domain into its registrable label (features.h), computes the lexical features and walks the
// boosted trees of a model file (docs/formats/dga-model.md; docs/domain-dga.md explains the
// model, its training data and its limits).
// BuiltIn() is the model shipped in data/dga/model.json, embedded at build time; Load() reads
// another one. A classifier owns its model; it is immutable after construction, so Probability()
// is thread-safe. Movable, not copyable.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"
#include "domain/dga/features.h"
#include "domain/dga/model_file.h"
#include "domain/dga_scorer.h"

namespace mamori::domain {

class DgaClassifier : public DgaScorer {
 public:
  // Errors name the file: unreadable (kIo), or what is wrong with its content (model_file.h).
  static Expected<DgaClassifier> Load(const std::string& path);
  // `context` names the source in errors.
  static Expected<DgaClassifier> FromJson(std::string_view text, const std::string& context);
  // The shipped model, parsed once per process. An error here means the build embedded a bad
  // model (the unit tests load it, so a release cannot).
  static Expected<const DgaClassifier*> BuiltIn();

  // 0 for text that is not a domain name (there is no label to judge).
  double Probability(std::string_view domain) const override;
  double Threshold() const override { return model_->threshold; }

  double ProbabilityOfLabel(const dga::LabelParts& parts) const;
  // The feature values behind a score (for explanations and tests).
  dga::FeatureVector Features(const dga::LabelParts& parts) const;
  const dga::DgaModel& model() const { return *model_; }
  std::string ToJson() const { return dga::SerializeDgaModel(*model_); }

 private:
  explicit DgaClassifier(dga::DgaModel model);
  // Heap-held so the extractor's references to the n-gram model and lexicon survive moves.
  std::unique_ptr<const dga::DgaModel> model_;
  std::unique_ptr<const dga::FeatureExtractor> extractor_;
};

}  // namespace mamori::domain
