#include "rse/blocklist/connectors/unbound.h"

#include <fmt/format.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "core/atomic_file.h"
#include "rse/blocklist/connectors/subprocess.h"

namespace mamori::rse::blocklist {

namespace {

bool Contains(std::string_view text, std::string_view what) {
  return text.find(what) != std::string_view::npos;
}

std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  if (text.size() > 1000) text.resize(1000);
  return text;
}

// The previous content of the zone file; nullopt when there is none.
Expected<std::optional<std::string>> ReadIfExists(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (ec) {
      return MakeError(ErrorCode::kIo, fmt::format("cannot check the zone file: {}", ec.message()),
                       path.string());
    }
    return std::optional<std::string>();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kIo, "cannot read the zone file", path.string());
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return MakeError(ErrorCode::kIo, "cannot read the zone file", path.string());
  return std::optional<std::string>(std::move(text).str());
}

}  // namespace

bool IsUnboundZoneName(const std::string& zone) {
  std::string_view z = zone;
  if (!z.empty() && z.back() == '.') z.remove_suffix(1);
  if (z.empty() || z.size() > 253) return false;
  for (char c : z) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

UnboundRpzConnector::UnboundRpzConnector(UnboundRpzTarget target) : target_(std::move(target)) {}

Status UnboundRpzConnector::Reload() {
  // The zone name goes to unbound over its control channel as one line of words, so anything
  // but a plain name could smuggle in another argument or command.
  if (!IsUnboundZoneName(target_.zone)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("'{}' is not a zone name (letters, digits, '.', '-', '_')",
                                 target_.zone.substr(0, 80)));
  }
  std::vector<std::string> argv = {target_.control_program};
  if (!target_.control_config.empty()) {
    argv.push_back("-c");
    argv.push_back(target_.control_config.string());
  }
  argv.push_back("auth_zone_reload");
  argv.push_back(target_.zone);
  MAMORI_ASSIGN_OR_RETURN(auto run, connectors::RunProcess(argv, target_.timeout));
  std::string said = OneLine(run.out + " " + run.err);
  if (run.exit_code == 0 && !Contains(run.out, "error")) return Ok();

  std::string context = connectors::ArgvText(argv);
  if (Contains(said, "no auth-zone")) {
    return MakeError(ErrorCode::kNotFound,
                     fmt::format("unbound has no RPZ named '{}': add the rpz: clause "
                                 "(docs/connectors.md) and restart unbound ({})",
                                 target_.zone, said),
                     context);
  }
  if (Contains(said, "failed to read")) {
    return MakeError(ErrorCode::kRejected,
                     fmt::format("unbound could not load the zone file {} (its log names the line "
                                 "it could not parse): {}",
                                 target_.zone_file.string(), said),
                     context);
  }
  if (Contains(said, "connect") || Contains(said, "Connection refused")) {
    return MakeError(ErrorCode::kNetwork,
                     fmt::format("unbound-control could not reach unbound (is it running, with "
                                 "remote-control enabled?): {}",
                                 said),
                     context);
  }
  return MakeError(ErrorCode::kIo,
                   fmt::format("unbound-control exited with {}: {}", run.exit_code, said), context);
}

Status UnboundRpzConnector::Apply(const std::string& zone_text) {
  if (target_.zone_file.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "no zone file configured for the RPZ");
  }
  if (!IsUnboundZoneName(target_.zone)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("'{}' is not a zone name (letters, digits, '.', '-', '_')",
                                 target_.zone.substr(0, 80)));
  }
  MAMORI_ASSIGN_OR_RETURN(std::optional<std::string> previous, ReadIfExists(target_.zone_file));
  MAMORI_RETURN_IF_ERROR(WriteFileAtomically(target_.zone_file, zone_text));
  Status reloaded = Reload();
  if (reloaded) return Ok();

  // Put the previous list back in force, so a failed Apply changes nothing.
  Error error = reloaded.error();
  if (previous) {
    Status restored = WriteFileAtomically(target_.zone_file, *previous);
    if (restored) restored = Reload();
    if (!restored && error.code == ErrorCode::kRejected) {
      error.message +=
          fmt::format("; restoring the previous zone also failed: {}", restored.error().ToString());
    }
  } else {
    std::error_code ec;
    std::filesystem::remove(target_.zone_file, ec);
  }
  return tl::unexpected(std::move(error));
}

Expected<RenderResult> UnboundRpzConnector::ApplyList(const Blocklist& list,
                                                      const DeviceProfile& profile) {
  if (profile.kind != DeviceKind::kUnboundRpz && profile.kind != DeviceKind::kBindRpz) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        fmt::format("profile kind {} is not an RPZ; use unbound-rpz", DeviceKindName(profile.kind)),
        profile.name);
  }
  MAMORI_ASSIGN_OR_RETURN(RenderResult rendered, Render(list, profile));
  MAMORI_RETURN_IF_ERROR(Apply(rendered.content));
  return rendered;
}

std::string UnboundRpzConfig(const UnboundRpzTarget& target) {
  std::string zone = target.zone;
  if (!zone.empty() && zone.back() == '.') zone.pop_back();
  return fmt::format(
      "# mamori blocklist as a Response Policy Zone (unbound 1.10 or later).\n"
      "# Address (rpz-ip) triggers need the respip module before the iterator, e.g.\n"
      "#   server:\n"
      "#     module-config: \"respip validator iterator\"\n"
      "# mamori reloads the zone with `unbound-control auth_zone_reload {0}`, which needs\n"
      "#   remote-control:\n"
      "#     control-enable: yes\n"
      "rpz:\n"
      "    name: {0}\n"
      "    zonefile: \"{1}\"\n"
      "    rpz-log: yes\n"
      "    rpz-log-name: \"mamori\"\n",
      zone, target.zone_file.string());
}

}  // namespace mamori::rse::blocklist
