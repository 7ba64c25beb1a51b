#include "core/domain_name.h"

#include <fmt/format.h>
#include <idn2.h>
#include <libpsl.h>

#include <cstdlib>

#include "core/public_suffix_list.h"

namespace mamori {

const psl_ctx_t* PublicSuffixList() {
  // psl_latest() loads the newest of the built-in list and the system file
  // (/usr/share/publicsuffix); the context is read-only afterwards and safe to share.
  static const psl_ctx_t* ctx = [] {
    const psl_ctx_t* latest = psl_latest(nullptr);
    return latest ? latest : psl_builtin();
  }();
  return ctx;
}

namespace {

const psl_ctx_t* Psl() { return PublicSuffixList(); }

bool IsLabelChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

Expected<std::string> ToALabel(std::string_view text) {
  std::string input(text);
  char* out = nullptr;
  int rc = idn2_lookup_u8(reinterpret_cast<const uint8_t*>(input.c_str()),
                          reinterpret_cast<uint8_t**>(&out), IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
  if (rc != IDN2_OK) {
    // Retry with transitional processing: some real names (e.g. with 'ß') only map that way.
    rc = idn2_lookup_u8(reinterpret_cast<const uint8_t*>(input.c_str()),
                        reinterpret_cast<uint8_t**>(&out), IDN2_NFC_INPUT | IDN2_TRANSITIONAL);
  }
  if (rc != IDN2_OK) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("invalid internationalized domain name ({})", idn2_strerror(rc)),
                     std::string(text.substr(0, 80)));
  }
  std::string result(out);
  idn2_free(out);
  return result;
}

}  // namespace

Expected<DomainName> DomainName::Parse(std::string_view text) {
  if (!text.empty() && text.back() == '.') text.remove_suffix(1);
  if (text.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "empty domain name");
  }
  // One pass over the name does the lower-casing (ASCII input), the character checks and the
  // label checks: this is the hot path of every domain feed (bench/parse_bench).
  bool ascii = true;
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
  }
  std::string name;
  if (ascii) {
    name.resize(text.size());
  } else {
    MAMORI_ASSIGN_OR_RETURN(name, ToALabel(text));
  }
  auto fail = [&](std::string why) {
    return MakeError(ErrorCode::kInvalidArgument, std::move(why), std::string(text.substr(0, 80)));
  };
  if (name.size() > 253) return fail("domain name longer than 253 octets");
  size_t label_start = 0;
  int labels = 0;
  bool label_all_digits = true;
  bool tld_all_digits = true;
  const size_t n = name.size();
  for (size_t i = 0; i <= n; ++i) {
    if (i == n || (ascii ? text[i] : name[i]) == '.') {
      if (ascii && i < n) name[i] = '.';
      size_t len = i - label_start;
      if (len == 0) return fail("empty label in domain name");
      if (len > 63) return fail("label longer than 63 octets");
      ++labels;
      tld_all_digits = label_all_digits;
      label_all_digits = true;
      label_start = i + 1;
      continue;
    }
    char c = name[i];
    if (ascii) {
      c = text[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      name[i] = c;
    }
    if (c < '0' || c > '9') label_all_digits = false;
    if (!IsLabelChar(c)) {
      return fail(fmt::format("character '{}' not allowed in a domain name",
                              c == ' ' ? std::string("space") : std::string(1, c)));
    }
  }
  if (labels < 2) return fail("a domain name needs at least two labels");
  if (tld_all_digits) return fail("top-level label is numeric (an IP address?)");
  return DomainName(std::move(name));
}

std::string DomainName::ToUnicode() const {
  if (name_.find("xn--") == std::string::npos) return name_;
  char* out = nullptr;
  if (idn2_to_unicode_8z8z(name_.c_str(), &out, 0) != IDN2_OK) return name_;
  std::string result(out);
  idn2_free(out);
  return result;
}

std::optional<std::string> DomainName::RegisteredDomain() const {
  const char* reg = psl_registrable_domain(Psl(), name_.c_str());
  if (reg == nullptr) return std::nullopt;
  return std::string(reg);
}

std::string DomainName::PublicSuffix() const {
  // The registrable domain is one label plus the public suffix.
  if (auto reg = RegisteredDomain()) {
    return reg->substr(reg->find('.') + 1);
  }
  if (IsPublicSuffix()) return name_;
  return name_.substr(name_.rfind('.') + 1);
}

bool DomainName::IsPrivateSuffix() const {
  std::string suffix = PublicSuffix();
  return psl_is_public_suffix2(Psl(), suffix.c_str(), PSL_TYPE_PRIVATE | PSL_TYPE_NO_STAR_RULE) &&
         !psl_is_public_suffix2(Psl(), suffix.c_str(), PSL_TYPE_ICANN | PSL_TYPE_NO_STAR_RULE);
}

bool DomainName::IsPublicSuffix() const {
  return psl_is_public_suffix2(Psl(), name_.c_str(), PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE);
}

std::optional<std::string> DomainName::Parent() const {
  auto dot = name_.find('.');
  if (dot == std::string::npos) return std::nullopt;
  return name_.substr(dot + 1);
}

bool DomainName::IsSubdomainOf(std::string_view suffix) const {
  if (suffix.empty()) return false;
  if (name_.size() == suffix.size()) return name_ == suffix;
  return name_.size() > suffix.size() && name_.ends_with(suffix) &&
         name_[name_.size() - suffix.size() - 1] == '.';
}

}  // namespace mamori
