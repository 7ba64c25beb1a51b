#include "feeds/parsers/entry_sink.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace mamori::feeds::parsers {

std::optional<IndicatorType> TypeSet::Single() const {
  if (bits_ == 0 || (bits_ & (bits_ - 1)) != 0) return std::nullopt;
  for (int i = 1; i <= 8; ++i) {
    if (bits_ == Bit(static_cast<IndicatorType>(i))) return static_cast<IndicatorType>(i);
  }
  return std::nullopt;
}

std::string TypeSet::Describe() const {
  std::vector<std::string_view> names;
  for (int i = 1; i <= 8; ++i) {
    auto t = static_cast<IndicatorType>(i);
    if (Contains(t)) names.push_back(IndicatorTypeName(t));
  }
  if (names.empty()) return "nothing";
  std::string out(names[0]);
  for (size_t i = 1; i < names.size(); ++i) {
    out += (i + 1 == names.size()) ? " or " : ", ";
    out += names[i];
  }
  return out;
}

EntrySink::EntrySink(const ParserOptions& options, ParsedFeed& out, TypeSet format_types)
    : options_(options),
      entries_(out.entries),
      report_(out.report),
      format_types_(format_types),
      forced_(options.indicator_type ? options.indicator_type : format_types.Single()) {}

void EntrySink::Reserve(size_t additional) {
  // Grow at least geometrically: a MISP feed parses thousands of small documents into one
  // ParsedFeed, and exact reserves would copy the whole vector for each of them.
  size_t want = entries_.size() + additional;
  if (want > entries_.capacity()) entries_.reserve(std::max(want, entries_.capacity() * 2));
}

bool EntrySink::Add(size_t line, std::string_view value, std::string_view excerpt,
                    std::string_view category, int confidence,
                    std::optional<IndicatorType> declared) {
  std::optional<IndicatorType> expected = forced_;
  if (declared && !options_.indicator_type) expected = declared;
  auto normalized = NormalizeIndicator(value, expected);
  // With no single expected type, the format's own limits still apply (a netset line holding
  // a domain is an error, not an entry).
  if (normalized && !expected && !format_types_.Contains(normalized->indicator.type)) {
    Invalid(line,
            fmt::format("expected {}, found {}", format_types_.Describe(),
                        IndicatorTypeName(normalized->indicator.type)),
            excerpt);
    return false;
  }
  return Append(line, std::move(normalized), excerpt, category, confidence);
}

bool EntrySink::AddTyped(size_t line, std::string_view value, TypeSet types,
                         std::string_view excerpt, std::string_view category, int confidence) {
  auto normalized = NormalizeIndicator(value, types.Single());
  if (normalized && !types.Contains(normalized->indicator.type)) {
    Invalid(line,
            fmt::format("expected {}, found {}", types.Describe(),
                        IndicatorTypeName(normalized->indicator.type)),
            excerpt);
    return false;
  }
  if (normalized && options_.indicator_type &&
      normalized->indicator.type != *options_.indicator_type) {
    Skipped();
    return false;
  }
  return Append(line, std::move(normalized), excerpt, category, confidence);
}

bool EntrySink::Append(size_t line, Expected<NormalizedIndicator> normalized,
                       std::string_view excerpt, std::string_view category, int confidence) {
  if (!normalized) {
    Invalid(line, normalized.error().message, excerpt);
    return false;
  }
  if (normalized->host_bits_cleared) ++report_.host_bits_cleared;
  if (normalized->defanged) ++report_.defanged;
  ++report_.entries;
  store::ListingEntry& entry = entries_.emplace_back();
  entry.indicator = std::move(normalized->indicator);
  if (!category.empty()) entry.category.assign(category);
  entry.confidence = confidence >= 0 ? confidence : options_.default_confidence;
  return true;
}

void EntrySink::Invalid(size_t line, std::string_view reason, std::string_view excerpt) {
  ++report_.invalid;
  report_.AddError(line, std::string(reason), excerpt);
}

void EntrySink::Unsupported(size_t line, std::string_view reason, std::string_view excerpt) {
  ++report_.unsupported;
  if (report_.first_errors.size() >= ParseReport::kMaxReportedErrors) return;
  if (std::find(unsupported_reported_.begin(), unsupported_reported_.end(), reason) !=
      unsupported_reported_.end()) {
    return;
  }
  unsupported_reported_.emplace_back(reason);
  report_.AddError(line, std::string(reason), excerpt);
}

}  // namespace mamori::feeds::parsers
