#include "rse/blocklist/connectors/nftables.h"

#include <fmt/format.h>
#include <nftables/libnftables.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string_view>
#include <utility>

#include "core/ip.h"
#include "rse/blocklist/connectors/nft_netlink.h"
#include "rse/blocklist/exporters/internal/formats.h"
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

Expected<Cidr> ToCidr(const Indicator& ind) {
  if (ind.type != IndicatorType::kIpv4 && ind.type != IndicatorType::kIpv6 &&
      ind.type != IndicatorType::kCidr) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("an nftables set holds addresses and CIDRs, not a {}",
                                 IndicatorTypeName(ind.type)),
                     ind.value.substr(0, 100));
  }
  MAMORI_ASSIGN_OR_RETURN(Cidr::ParseResult parsed, Cidr::Parse(ind.value));
  return parsed.cidr;
}

std::string CidrText(const Cidr& cidr) {
  return cidr.is_host() ? cidr.network().ToString() : cidr.ToString();
}

// True for a CIDR that holds the last address of its family (255.255.255.255, ffff:...:ffff):
// the kernel stores it as an interval start without end and checks such an open interval for
// overlaps only partly.
bool ReachesTheTop(const Cidr& cidr) {
  const std::array<uint8_t, 16> last = cidr.LastAddress().bytes();
  size_t len = cidr.network().is_v4() ? 4 : 16;
  return std::all_of(last.begin(), last.begin() + len, [](uint8_t b) { return b == 0xFF; });
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
  const NftSetNames& sets = target_.sets;
  for (const std::string* name :
       {&target_.table, &sets.hosts_v4, &sets.networks_v4, &sets.hosts_v6, &sets.networks_v6}) {
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
  return NftReplaceScript(list, target_.family, target_.table, target_.sets, report);
}

Expected<NftNetlink*> NftablesConnector::Netlink() {
  if (netlink_ == nullptr) {
    auto opened = NftNetlink::Open();
    if (!opened) {
      Error e = opened.error();
      e.context = fmt::format("nftables {} {}", target_.family, target_.table);
      return tl::unexpected(std::move(e));
    }
    netlink_ = std::move(*opened);
  }
  return netlink_.get();
}

Status NftablesConnector::DeclareSets() {
  // A declaration of something that exists with the same definition changes nothing.
  auto declared = Run(NftDeclareScript(target_.family, target_.table, target_.sets));
  if (!declared && declared.error().code == ErrorCode::kAlreadyExists) {
    Error e = declared.error();
    e.message += fmt::format(
        " (a set of that name exists with another type or flags; mamori keeps addresses in hash "
        "sets ({}, {}: no flags) and networks in interval sets ({}, {}). Sets of mamori before "
        "that split were all interval sets: delete the rules that use the old set and the set "
        "(nft delete set {} {} NAME), then run again; docs/connectors.md, \"Rules that use the "
        "sets\")",
        target_.sets.hosts_v4, target_.sets.hosts_v6, target_.sets.networks_v4,
        target_.sets.networks_v6, target_.family, target_.table);
    return tl::unexpected(std::move(e));
  }
  MAMORI_RETURN_IF_ERROR(declared);
  declared_ = true;
  return Ok();
}

// Errors from the netlink path carry the target as context, like those from libnftables.
template <typename T>
T WithContext(T result, const NftablesTarget& target) {
  if (!result && result.error().context.empty()) {
    result.error().context = fmt::format("nftables {} {}", target.family, target.table);
  }
  return result;
}

namespace {

double MsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

Expected<NftApplyReport> NftablesConnector::Replace(const Blocklist& list) {
  MAMORI_RETURN_IF_ERROR(CheckTarget());
  timings_ = {};
  auto t0 = std::chrono::steady_clock::now();
  NftElementsOf(list, elements_);
  timings_.elements_ms = MsSince(t0);
  MAMORI_ASSIGN_OR_RETURN(NftNetlink * netlink, Netlink());
  // Declared every time (a few milliseconds): a Replace on a fresh system creates the sets, and
  // libnftables refuses sets of another type or flags with a clear message.
  auto t1 = std::chrono::steady_clock::now();
  MAMORI_RETURN_IF_ERROR(DeclareSets());
  timings_.declare_ms = MsSince(t1);
  using Kind = NftSetContents::Kind;
  const NftSetNames& names = target_.sets;
  std::array<NftSetContents, 4> sets;
  sets[0] = {
      {target_.family, target_.table, names.hosts_v4}, Kind::kHostsV4, elements_.hosts_v4, {}, {}};
  sets[1] = {{target_.family, target_.table, names.networks_v4},
             Kind::kNetworks,
             {},
             {},
             elements_.networks_v4};
  sets[2] = {
      {target_.family, target_.table, names.hosts_v6}, Kind::kHostsV6, {}, elements_.hosts_v6, {}};
  sets[3] = {{target_.family, target_.table, names.networks_v6},
             Kind::kNetworks,
             {},
             {},
             elements_.networks_v6};
  Status replaced = WithContext(netlink->Replace(sets), target_);
  timings_.build_ms = netlink->last_batch().build_ms;
  timings_.kernel_ms = netlink->last_batch().kernel_ms;
  timings_.batch_bytes = netlink->last_batch().bytes;
  MAMORI_RETURN_IF_ERROR(replaced);
  return elements_.counts;
}

NftSetName NftablesConnector::SetFor(bool v4, bool host) const {
  const NftSetNames& n = target_.sets;
  const std::string& set =
      host ? (v4 ? n.hosts_v4 : n.hosts_v6) : (v4 ? n.networks_v4 : n.networks_v6);
  return {target_.family, target_.table, set};
}

Status NftablesConnector::Add(const Indicator& address_or_cidr) {
  MAMORI_RETURN_IF_ERROR(CheckTarget());
  MAMORI_ASSIGN_OR_RETURN(Cidr cidr, ToCidr(address_or_cidr));
  MAMORI_ASSIGN_OR_RETURN(NftNetlink * netlink, Netlink());
  // Once per connector: sets of the old layout (all interval sets) would take an address as an
  // open interval, so their types are checked before the first change.
  if (!declared_) MAMORI_RETURN_IF_ERROR(DeclareSets());
  const bool host = cidr.is_host();
  const bool v4 = cidr.network().is_v4();
  NftSetName set = SetFor(v4, host);
  if (host) {
    // An address inside a listed network is blocked already and stays out of the hash set, as
    // in Replace(): one lookup in the interval set (the kernel finds the interval, no listing).
    auto covered = netlink->Covers(SetFor(v4, false), cidr);
    if (covered && *covered) return Ok();
    // A failed lookup (e.g. the set was deleted meanwhile) is not fatal: the add says more.
  } else if (ReachesTheTop(cidr)) {
    // The kernel would accept an open interval around elements of the set (its overlap check
    // relies on end elements), so only a CIDR already covered is accepted (as a no-op); the
    // list's own elements of this kind go in through Replace(), which builds the set without
    // overlaps.
    auto covered = netlink->Covers(set, cidr);
    if (covered && *covered) return Ok();
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("{} reaches the last address; Add() takes such a CIDR only when "
                                 "the set holds it already: use Replace() with the whole list",
                                 CidrText(cidr)),
                     fmt::format("nftables {} {} {}", target_.family, target_.table, set.set));
  }
  Status added = netlink->Add(set, cidr, !host);
  if (!added && added.error().code == ErrorCode::kNotFound) {
    // The table or set is missing (deleted since this connector declared them): declare them,
    // then retry.
    MAMORI_RETURN_IF_ERROR(DeclareSets());
    added = netlink->Add(set, cidr, !host);
  }
  if (!added && !host && added.error().code == ErrorCode::kAlreadyExists) {
    // The kernel refuses an element that overlaps another one. Inside one means already
    // blocked: nothing to do. Otherwise (around or across elements) it stays refused.
    MAMORI_ASSIGN_OR_RETURN(bool inside, WithContext(netlink->Covers(set, cidr), target_));
    if (inside) return Ok();
    Error e = added.error();
    e.message += fmt::format(
        "; {} overlaps elements of set {} without lying inside one: remove them first, or "
        "Replace() with the whole list",
        CidrText(cidr), set.set);
    return WithContext(Status(tl::unexpected(std::move(e))), target_);
  }
  return WithContext(std::move(added), target_);
}

Status NftablesConnector::Remove(const Indicator& address_or_cidr) {
  MAMORI_RETURN_IF_ERROR(CheckTarget());
  MAMORI_ASSIGN_OR_RETURN(Cidr cidr, ToCidr(address_or_cidr));
  MAMORI_ASSIGN_OR_RETURN(NftNetlink * netlink, Netlink());
  NftSetName set = SetFor(cidr.network().is_v4(), cidr.is_host());
  Status deleted = netlink->Delete(set, cidr, !cidr.is_host());
  if (!deleted && deleted.error().code == ErrorCode::kNotFound) {
    // Either the set holds no such element (nothing to do; the batch changed nothing) or the
    // table or set is missing, which is an error.
    MAMORI_ASSIGN_OR_RETURN(bool exists, WithContext(netlink->SetExists(set), target_));
    if (exists) return Ok();
  }
  return WithContext(std::move(deleted), target_);
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
  std::vector<std::string> out;
  const NftSetNames& n = target_.sets;
  for (const std::string* set : {&n.hosts_v4, &n.networks_v4, &n.hosts_v6, &n.networks_v6}) {
    MAMORI_ASSIGN_OR_RETURN(std::vector<std::string> elements, ListSet(*set));
    out.insert(out.end(), std::make_move_iterator(elements.begin()),
               std::make_move_iterator(elements.end()));
  }
  return out;
}

}  // namespace mamori::rse::blocklist
