#include "rse/respond/actuators/ipset_actuator.h"

#include <fmt/format.h>

#include <utility>

#include "rse/blocklist/connectors/subprocess.h"
#include "rse/respond/actuators/common.h"

namespace mamori::rse::respond {

namespace {

namespace connectors = blocklist::connectors;

bool Contains(std::string_view text, std::string_view what) {
  return text.find(what) != std::string_view::npos;
}

bool IsIpsetName(std::string_view name) {
  if (name.empty() || name.size() > 28) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool IsV6(const Indicator& address) {
  return address.type == IndicatorType::kIpv6 ||
         (address.type == IndicatorType::kCidr && Contains(address.value, ":"));
}

}  // namespace

Expected<std::unique_ptr<IpsetActuator>> IpsetActuator::Make(std::string set_name,
                                                             std::chrono::milliseconds timeout,
                                                             std::string program) {
  if (!IsIpsetName(set_name)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("'{}' is not a usable ipset name (1..28 characters of letters, "
                                 "digits, '_', '.', '-'; \"-v6\" is appended for IPv6)",
                                 actuators::OneLine(set_name, 80)),
                     "[respond] ipset_name");
  }
  return std::unique_ptr<IpsetActuator>(
      new IpsetActuator(std::move(set_name), timeout, std::move(program)));
}

IpsetActuator::IpsetActuator(std::string set_name, std::chrono::milliseconds timeout,
                             std::string program)
    : set_v4_(set_name),
      set_v6_(set_name + "-v6"),
      timeout_(timeout),
      program_(std::move(program)) {}

Expected<IpsetActuator::Run> IpsetActuator::Ipset(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {program_};
  argv.insert(argv.end(), args.begin(), args.end());
  auto run = connectors::RunProcess(argv, timeout_);
  if (!run) {
    Error e = run.error();
    if (e.code == ErrorCode::kNotFound) {
      e.message += " (install the ipset package, or unset [respond] ipset_name)";
    }
    return tl::unexpected(e.WithContext("ipset"));
  }
  return Run{run->exit_code, actuators::OneLine(run->err + " " + run->out)};
}

Error IpsetActuator::Failure(const std::vector<std::string>& args, const Run& run) const {
  std::vector<std::string> argv = {program_};
  argv.insert(argv.end(), args.begin(), args.end());
  std::string context = "ipset: " + connectors::ArgvText(argv);
  const std::string& said = run.said;
  if (Contains(said, "Operation not permitted") || Contains(said, "Permission denied") ||
      Contains(said, "must be root")) {
    return Error{
        ErrorCode::kRejected,
        fmt::format("ipset needs CAP_NET_ADMIN (run mamori with that capability): {}", said),
        context};
  }
  if (Contains(said, "does not exist")) {
    return Error{ErrorCode::kNotFound, fmt::format("no such ipset: {}", said), context};
  }
  if (Contains(said, "already exists") || Contains(said, "same name")) {
    return Error{ErrorCode::kAlreadyExists,
                 fmt::format("a set of that name exists with another type; mamori keeps response "
                             "blocks in hash:net sets: rename [respond] ipset_name, or destroy the "
                             "old set (ipset destroy NAME) after removing the rules using it: {}",
                             said),
                 context};
  }
  if (Contains(said, "Kernel support protocol") || Contains(said, "Cannot open session")) {
    return Error{ErrorCode::kUnsupported,
                 fmt::format("the kernel does not offer ipset (load the ip_set modules): {}", said),
                 context};
  }
  return Error{ErrorCode::kIo, fmt::format("ipset exited with {}: {}", run.exit_code, said),
               context};
}

Status IpsetActuator::Create(bool v6) const {
  std::vector<std::string> args = {"create", v6 ? set_v6_ : set_v4_, "hash:net",
                                   "family", v6 ? "inet6" : "inet",  "-exist"};
  MAMORI_ASSIGN_OR_RETURN(Run run, Ipset(args));
  if (run.exit_code != 0) return tl::unexpected(Failure(args, run));
  return Ok();
}

Expected<Indicator> IpsetActuator::Target(const store::ActionRecord& action) const {
  return actuators::ParseAddressTarget("ipset", action.target);
}

const std::string& IpsetActuator::SetFor(const Indicator& address) const {
  return IsV6(address) ? set_v6_ : set_v4_;
}

Status IpsetActuator::Apply(const store::ActionRecord& action) {
  MAMORI_ASSIGN_OR_RETURN(Indicator address, Target(action));
  // Every time, not once: a reboot or `ipset destroy` may have removed the set meanwhile.
  MAMORI_RETURN_IF_ERROR(Create(IsV6(address)));
  std::vector<std::string> args = {"add", SetFor(address), address.value, "-exist"};
  MAMORI_ASSIGN_OR_RETURN(Run run, Ipset(args));
  if (run.exit_code != 0) return tl::unexpected(Failure(args, run));
  return Ok();
}

Status IpsetActuator::Revert(const store::ActionRecord& action) {
  MAMORI_ASSIGN_OR_RETURN(Indicator address, Target(action));
  std::vector<std::string> args = {"del", SetFor(address), address.value, "-exist"};
  MAMORI_ASSIGN_OR_RETURN(Run run, Ipset(args));
  if (run.exit_code == 0) return Ok();
  Error e = Failure(args, run);
  if (e.code == ErrorCode::kNotFound) return Ok();  // no set: nothing in place
  return tl::unexpected(std::move(e));
}

Expected<bool> IpsetActuator::IsInPlace(const store::ActionRecord& action) {
  MAMORI_ASSIGN_OR_RETURN(Indicator address, Target(action));
  std::vector<std::string> args = {"test", SetFor(address), address.value};
  MAMORI_ASSIGN_OR_RETURN(Run run, Ipset(args));
  if (run.exit_code == 0) return true;
  if (Contains(run.said, "is NOT in set")) return false;
  Error e = Failure(args, run);
  if (e.code == ErrorCode::kNotFound) return false;
  return tl::unexpected(std::move(e));
}

}  // namespace mamori::rse::respond
