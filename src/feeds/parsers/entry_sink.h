// EntrySink: the one place where every parser turns a value it found into a ListingEntry.
//
// All formats do the same thing once they have located a value: normalize it with
// NormalizeIndicator(), check its type against what the format and the source's options allow,
// count what happened (entries, invalid, unsupported, skipped, host bits cleared, refanged) in
// the feed's ParseReport, and append the entry. Keeping that here means the counting rules are
// the same for a plain list and a STIX bundle, and the hot path of the million-line formats is
// written once.
//
// A sink borrows the ParsedFeed and ParserOptions it is given; both must outlive it. One sink
// per Parse() call; not thread-safe.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/indicator.h"
#include "feeds/parser.h"

namespace mamori::feeds::parsers {

// A set of indicator types (what a format or a field can hold).
class TypeSet {
 public:
  constexpr TypeSet() = default;
  constexpr TypeSet(std::initializer_list<IndicatorType> types) {
    for (IndicatorType t : types) bits_ |= Bit(t);
  }
  static constexpr TypeSet All() {
    return {IndicatorType::kIpv4,   IndicatorType::kIpv6, IndicatorType::kCidr,
            IndicatorType::kDomain, IndicatorType::kUrl,  IndicatorType::kSha256,
            IndicatorType::kSha1,   IndicatorType::kMd5};
  }
  static constexpr TypeSet Addresses() {
    return {IndicatorType::kIpv4, IndicatorType::kIpv6, IndicatorType::kCidr};
  }
  constexpr bool Contains(IndicatorType t) const { return (bits_ & Bit(t)) != 0; }
  constexpr bool empty() const { return bits_ == 0; }
  // The type when the set holds exactly one.
  std::optional<IndicatorType> Single() const;
  // "ipv4, ipv6 or cidr", for messages.
  std::string Describe() const;

 private:
  static constexpr uint16_t Bit(IndicatorType t) { return uint16_t{1} << static_cast<int>(t); }
  uint16_t bits_ = 0;
};

class EntrySink {
 public:
  // `format_types`: what the format can hold at all (hosts: domains; netset: addresses).
  EntrySink(const ParserOptions& options, ParsedFeed& out, TypeSet format_types = TypeSet::All());

  // For formats whose values are untyped text (plain, hosts, netset, csv): the type is detected,
  // unless the source forces one (options.indicator_type) or the row declares one (`declared`,
  // a CSV type column). A value of another type is invalid. `excerpt` is what an error report
  // shows (usually the whole line). A negative confidence means "use the source default".
  bool Add(size_t line, std::string_view value, std::string_view excerpt,
           std::string_view category = {}, int confidence = -1,
           std::optional<IndicatorType> declared = std::nullopt);

  // For formats that say what a value is (a MISP attribute type, a STIX object path): the value
  // must be one of `types`, else it is invalid. A value of a type the source filters out with
  // options.indicator_type is skipped, not invalid: the document is fine, we only want part of
  // it.
  bool AddTyped(size_t line, std::string_view value, TypeSet types, std::string_view excerpt,
                std::string_view category = {}, int confidence = -1);

  void Invalid(size_t line, std::string_view reason, std::string_view excerpt);
  // Counts one unsupported item. Only the first item with a given reason goes to
  // report.first_errors, so a document full of one unsupported kind cannot hide the invalid
  // lines from the report.
  void Unsupported(size_t line, std::string_view reason, std::string_view excerpt);
  void Skipped() { ++report_.lines_skipped; }
  void CountItem() { ++report_.lines_total; }

  ParseReport& report() { return report_; }
  const ParserOptions& options() const { return options_; }
  void Reserve(size_t additional);

 private:
  bool Append(size_t line, Expected<NormalizedIndicator> normalized, std::string_view excerpt,
              std::string_view category, int confidence);

  const ParserOptions& options_;
  std::vector<store::ListingEntry>& entries_;
  ParseReport& report_;
  TypeSet format_types_;
  std::optional<IndicatorType> forced_;  // options.indicator_type or the format's single type
  std::vector<std::string> unsupported_reported_;
};

}  // namespace mamori::feeds::parsers
