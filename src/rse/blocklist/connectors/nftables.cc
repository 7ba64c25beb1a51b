#include "rse/blocklist/connectors/nftables.h"

#include <fmt/format.h>
#include <nftables/libnftables.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <string_view>
#include <utility>

#include "core/ip.h"
#include "rse/blocklist/exporters/nftables_script.h"

namespace mamori::rse::blocklist {

namespace {

// libnftables repeats the offending input line in its messages; a failed 1M-element script
// must not turn into a megabyte-long error.
constexpr size_t kMaxErrorText = 4000;

bool IsNftFamily(std::string_view family) {
  static constexpr std::array<std::string_view, 5> kFamilies = {"inet", "ip", "ip6", "bridge",
                                                                "netdev"};
  return std::find(kFamilies.begin(), kFamilies.end(), family) != kFamilies.end();
}

std::string Trimmed(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  while (!text.empty() && (text.front() == '\n' || text.front() == ' ')) text.remove_prefix(1);
  if (text.size() > kMaxErrorText) {
    return fmt::format("{} [... {} more bytes]", text.substr(0, kMaxErrorText),
                       text.size() - kMaxErrorText);
  }
  return std::string(text);
}

bool Contains(std::string_view text, std::string_view what) {
  return text.find(what) != std::string_view::npos;
}

// The error code for libnftables' message (it reports the kernel's errno as strerror text).
ErrorCode Classify(std::string_view message) {
  if (Contains(message, "Operation not permitted") || Contains(message, "Permission denied")) {
    return ErrorCode::kRejected;
  }
  if (Contains(message, "element does not exist") ||
      Contains(message, "No such file or directory")) {
    return ErrorCode::kNotFound;
  }
  if (Contains(message, "overlaps") || Contains(message, "File exists") ||
      Contains(message, "conflicting intervals")) {
    return ErrorCode::kAlreadyExists;
  }
  if (Contains(message, "Too many open files") || Contains(message, "No space left")) {
    return ErrorCode::kTooLarge;
  }
  if (Contains(message, "Device or resource busy")) return ErrorCode::kBusy;
  return ErrorCode::kInvalidArgument;
}

struct Element {
  std::string text;  // "192.0.2.1", "10.0.0.0/24"
  bool v6 = false;
};

Expected<Element> ToElement(const Indicator& ind) {
  if (ind.type != IndicatorType::kIpv4 && ind.type != IndicatorType::kIpv6 &&
      ind.type != IndicatorType::kCidr) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("an nftables set holds addresses and CIDRs, not a {}",
                                 IndicatorTypeName(ind.type)),
                     ind.value.substr(0, 100));
  }
  auto parsed = Cidr::Parse(ind.value);
  if (!parsed) return tl::unexpected(parsed.error());
  const Cidr& cidr = parsed->cidr;
  return Element{cidr.is_host() ? cidr.network().ToString() : cidr.ToString(),
                 !cidr.network().is_v4()};
}

// One element of nft's JSON set listing as text.
std::string ElementText(const nlohmann::json& e) {
  if (e.is_string()) return e.get<std::string>();
  if (e.is_number()) return e.dump();
  if (e.is_object()) {
    if (auto it = e.find("prefix"); it != e.end() && it->is_object()) {
      return fmt::format("{}/{}", ElementText(it->value("addr", nlohmann::json())),
                         it->value("len", 0));
    }
    if (auto it = e.find("range"); it != e.end() && it->is_array() && it->size() == 2) {
      return ElementText((*it)[0]) + "-" + ElementText((*it)[1]);
    }
    // {"elem": {"val": ..., "timeout": ..., "counter": ...}} for elements with attributes.
    if (auto it = e.find("elem"); it != e.end() && it->is_object()) {
      return ElementText(it->value("val", nlohmann::json()));
    }
  }
  return e.dump();
}

}  // namespace

NftablesConnector::NftablesConnector(NftablesTarget target) : target_(std::move(target)) {
  ctx_ = nft_ctx_new(NFT_CTX_DEFAULT);
  if (ctx_ != nullptr) {
    nft_ctx_buffer_output(ctx_);
    nft_ctx_buffer_error(ctx_);
  }
}

NftablesConnector::~NftablesConnector() {
  if (ctx_ != nullptr) nft_ctx_free(ctx_);
}

Status NftablesConnector::CheckTarget() const {
  if (!IsNftFamily(target_.family)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("'{}' is not an nftables family for address sets (inet, ip, ip6, "
                                 "bridge, netdev)",
                                 target_.family.substr(0, 40)));
  }
  for (const std::string* name : {&target_.table, &target_.set_v4, &target_.set_v6}) {
    if (!IsNftIdentifier(*name)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("'{}' is not a valid nftables table or set name (a letter or "
                                   "'_', then letters, digits, '_', '.', '-')",
                                   name->substr(0, 80)));
    }
  }
  return Ok();
}

Expected<std::string> NftablesConnector::Run(const std::string& commands, bool json) {
  if (ctx_ == nullptr) {
    return MakeError(ErrorCode::kInternal, "libnftables could not create a context (nft_ctx_new)");
  }
  unsigned int flags = nft_ctx_output_get_flags(ctx_);
  if (json) nft_ctx_output_set_flags(ctx_, flags | NFT_CTX_OUTPUT_JSON);
  // libnftables 1.0.6 loses line numbers in errors about buffer input (it quotes the first line
  // under the error), so commands go through an in-memory file, read as `nft -f` reads one:
  // same single transaction, and errors name the right line.
  int rc;
  std::string source_name;
  int fd = ::memfd_create("mamori-nft", MFD_CLOEXEC);
  bool written = fd >= 0;
  for (size_t done = 0; written && done < commands.size();) {
    ssize_t n = ::write(fd, commands.data() + done, commands.size() - done);
    if (n <= 0) written = false;
    done += n > 0 ? static_cast<size_t>(n) : 0;
  }
  if (written) {
    source_name = fmt::format("/proc/self/fd/{}", fd);
    rc = nft_run_cmd_from_filename(ctx_, source_name.c_str());
  } else {
    rc = nft_run_cmd_from_buffer(ctx_, commands.c_str());
  }
  if (fd >= 0) ::close(fd);
  if (json) nft_ctx_output_set_flags(ctx_, flags);
  // Both getters rewind their buffer, so every call starts with empty ones.
  std::string output = nft_ctx_get_output_buffer(ctx_);
  std::string error = nft_ctx_get_error_buffer(ctx_);
  if (rc != 0) {
    if (!source_name.empty()) {
      // "/proc/self/fd/7:4:2-13: Error: ..." -> "line 4:2-13: Error: ..."
      for (size_t at = error.find(source_name + ":"); at != std::string::npos;
           at = error.find(source_name + ":", at)) {
        error.replace(at, source_name.size() + 1, "line ");
      }
    }
    std::string message = Trimmed(error);
    if (message.empty()) message = "nft command failed (no message from libnftables)";
    ErrorCode code = Classify(message);
    if (code == ErrorCode::kNotFound && Contains(message, "No such file or directory")) {
      message += " (the table or set does not exist: Replace() or Add() creates them)";
    } else if (code == ErrorCode::kRejected) {
      message +=
          " (nftables needs CAP_NET_ADMIN in the network namespace: run as root or grant "
          "the capability)";
    }
    return MakeError(code, std::move(message),
                     fmt::format("nftables {} {}", target_.family, target_.table));
  }
  return output;
}

Status NftablesConnector::RunScript(const std::string& script) {
  MAMORI_RETURN_IF_ERROR(Run(script));
  return Ok();
}

std::string NftablesConnector::ReplaceScript(const Blocklist& list, NftApplyReport* report) const {
  NftScriptCounts counts;
  std::string script = NftReplaceScript(list, target_.family, target_.table, target_.set_v4,
                                        target_.set_v6, &counts);
  if (report != nullptr) {
    report->v4_elements = counts.v4_elements;
    report->v6_elements = counts.v6_elements;
    report->covered = counts.covered;
    report->skipped = counts.skipped;
  }
  return script;
}

Expected<NftApplyReport> NftablesConnector::Replace(const Blocklist& list) {
  MAMORI_RETURN_IF_ERROR(CheckTarget());
  NftApplyReport report;
  std::string script = ReplaceScript(list, &report);
  MAMORI_RETURN_IF_ERROR(Run(script));
  return report;
}

Status NftablesConnector::Add(const Indicator& address_or_cidr) {
  MAMORI_RETURN_IF_ERROR(CheckTarget());
  MAMORI_ASSIGN_OR_RETURN(Element element, ToElement(address_or_cidr));
  const std::string& set = element.v6 ? target_.set_v6 : target_.set_v4;
  // The declarations change nothing when the table and sets exist (as in NftReplaceScript).
  std::string script = fmt::format(
      "table {0} {1} {{\n"
      "\tset {2} {{\n\t\ttype ipv4_addr\n\t\tflags interval\n\t}}\n"
      "\tset {3} {{\n\t\ttype ipv6_addr\n\t\tflags interval\n\t}}\n"
      "}}\n"
      "add element {0} {1} {4} {{ {5} }}\n",
      target_.family, target_.table, target_.set_v4, target_.set_v6, set, element.text);
  auto ran = Run(script);
  if (!ran) {
    // Only overlap of an address with an existing element means "already inside": an address
    // cannot partly overlap anything.
    bool host = element.text.find('/') == std::string::npos;
    if (ran.error().code == ErrorCode::kAlreadyExists && host) return Ok();
    Error e = ran.error();
    if (e.code == ErrorCode::kAlreadyExists) {
      e.message += fmt::format(
          " ({} overlaps elements of set {} without lying inside one; interval sets hold no "
          "overlapping elements: remove them first, or Replace() with the whole list)",
          element.text, set);
    }
    return tl::unexpected(std::move(e));
  }
  return Ok();
}

Status NftablesConnector::Remove(const Indicator& address_or_cidr) {
  MAMORI_RETURN_IF_ERROR(CheckTarget());
  MAMORI_ASSIGN_OR_RETURN(Element element, ToElement(address_or_cidr));
  const std::string& set = element.v6 ? target_.set_v6 : target_.set_v4;
  auto ran = Run(fmt::format("delete element {} {} {} {{ {} }}\n", target_.family, target_.table,
                             set, element.text));
  if (!ran) {
    // nft 1.0.6 has no `destroy element`; it checks interval sets against the kernel's elements
    // and says so when the element is not there, which for Remove means nothing to do.
    if (Contains(ran.error().message, "element does not exist")) return Ok();
    return tl::unexpected(ran.error());
  }
  return Ok();
}

Expected<std::vector<std::string>> NftablesConnector::ListSet(const std::string& set) {
  MAMORI_ASSIGN_OR_RETURN(
      std::string output,
      Run(fmt::format("list set {} {} {}\n", target_.family, target_.table, set), true));
  auto corrupt = [&](std::string_view why) {
    return MakeError(ErrorCode::kCorrupt,
                     fmt::format("libnftables returned a set listing mamori cannot read: {}", why),
                     fmt::format("nftables {} {} {}", target_.family, target_.table, set));
  };
  try {
    nlohmann::json doc = nlohmann::json::parse(output);
    if (!doc.is_object() || !doc.contains("nftables") || !doc["nftables"].is_array()) {
      return corrupt("no \"nftables\" array");
    }
    std::vector<std::string> out;
    for (const nlohmann::json& item : doc["nftables"]) {
      if (!item.is_object()) continue;
      auto it = item.find("set");
      if (it == item.end() || !it->is_object()) continue;
      auto elems = it->find("elem");
      if (elems == it->end() || !elems->is_array()) continue;
      out.reserve(out.size() + elems->size());
      for (const nlohmann::json& e : *elems) out.push_back(ElementText(e));
    }
    return out;
  } catch (const nlohmann::json::exception& e) {
    return corrupt(e.what());
  }
}

Expected<std::vector<std::string>> NftablesConnector::ListElements() {
  MAMORI_RETURN_IF_ERROR(CheckTarget());
  MAMORI_ASSIGN_OR_RETURN(std::vector<std::string> out, ListSet(target_.set_v4));
  MAMORI_ASSIGN_OR_RETURN(std::vector<std::string> v6, ListSet(target_.set_v6));
  out.insert(out.end(), std::make_move_iterator(v6.begin()), std::make_move_iterator(v6.end()));
  return out;
}

}  // namespace mamori::rse::blocklist
