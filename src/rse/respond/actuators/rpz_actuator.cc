#include "rse/respond/actuators/rpz_actuator.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <limits>
#include <sstream>
#include <system_error>
#include <utility>
#include <vector>

#include "core/atomic_file.h"
#include "core/domain_name.h"
#include "rse/blocklist/blocklist.h"
#include "rse/blocklist/connectors/subprocess.h"
#include "rse/blocklist/connectors/unbound.h"
#include "rse/blocklist/exporters/exporter.h"
#include "rse/blocklist/profile.h"
#include "rse/respond/actuators/common.h"

namespace mamori::rse::respond {

namespace {

namespace connectors = blocklist::connectors;

bool Contains(std::string_view text, std::string_view what) {
  return text.find(what) != std::string_view::npos;
}

std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i < line.size() && line[i] == ';') break;  // comment to the end of the line
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

std::string OriginWithoutDot(std::string_view origin) {
  if (!origin.empty() && origin.back() == '.') origin.remove_suffix(1);
  return std::string(origin);
}

// The profile under which the "unbound-rpz" exporter renders the response zone: every domain,
// each with its subdomains, answered NXDOMAIN.
blocklist::DeviceProfile ResponseProfile(const std::string& origin) {
  blocklist::DeviceProfile profile;
  profile.name = "respond-rpz";
  profile.kind = blocklist::DeviceKind::kUnboundRpz;
  profile.capacity.domain = std::numeric_limits<int64_t>::max();
  profile.wildcard_domains = true;
  profile.rpz_zone = OriginWithoutDot(origin);
  profile.rpz_action = "nxdomain";
  return profile;
}

}  // namespace

Expected<std::unique_ptr<RpzActuator>> RpzActuator::Make(RpzActuatorOptions options, Clock& clock) {
  if (options.zone_file.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "no zone file", "[respond] rpz_zone_file");
  }
  if (!blocklist::IsUnboundZoneName(options.origin)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("'{}' is not a zone name (letters, digits, '.', '-', '_')",
                                 actuators::OneLine(options.origin, 80)),
                     "[respond] rpz_origin");
  }
  if (!options.reload_command.empty() && actuators::SplitCommand(options.reload_command).empty()) {
    options.reload_command.clear();
  }
  std::unique_ptr<RpzActuator> actuator(new RpzActuator(std::move(options), clock));
  // Reading the file now reports a damaged zone at start-up rather than at the first action.
  MAMORI_RETURN_IF_ERROR(actuator->Read());
  return actuator;
}

RpzActuator::RpzActuator(RpzActuatorOptions options, Clock& clock)
    : options_(std::move(options)), clock_(clock) {}

Expected<RpzActuator::Zone> RpzActuator::Read() const {
  const std::string path = options_.zone_file.string();
  Zone zone;
  std::error_code ec;
  if (!std::filesystem::exists(options_.zone_file, ec)) {
    if (ec) {
      return MakeError(ErrorCode::kIo, fmt::format("cannot check the zone file: {}", ec.message()),
                       path);
    }
    return zone;
  }
  std::ifstream in(options_.zone_file, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (!in || in.bad()) return MakeError(ErrorCode::kIo, "cannot read the zone file", path);
  zone.exists = true;
  zone.text = std::move(buffer).str();

  // The file as the exporter writes it: $TTL, the SOA and NS of "@", then one "name CNAME ."
  // and one "*.name CNAME ." per domain. Names are relative to the origin; an absolute name
  // (an admin's edit) is taken relative to it too.
  const std::string origin = OriginWithoutDot(options_.origin);
  std::istringstream lines(zone.text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    auto corrupt = [&](std::string_view why) {
      return MakeError(ErrorCode::kCorrupt,
                       fmt::format("{}; this file belongs to mamori's response engine: fix or "
                                   "remove the line, or point [respond] rpz_zone_file elsewhere",
                                   why),
                       fmt::format("{}:{}", path, number));
    };
    std::vector<std::string_view> f = Fields(line);
    if (f.empty() || f[0].starts_with("$")) continue;
    if (f[0] == "@") {
      auto soa = std::find(f.begin(), f.end(), "SOA");
      if (soa != f.end() && f.end() - soa >= 4) {
        std::string_view serial = soa[3];
        auto r = std::from_chars(serial.data(), serial.data() + serial.size(), zone.serial);
        if (r.ec != std::errc()) return corrupt("the SOA serial is not a number");
      }
      continue;
    }
    if (f.size() < 3) return corrupt("expected 'name CNAME target'");
    auto cname = std::find(f.begin() + 1, f.end(), "CNAME");
    if (cname == f.end()) return corrupt("only CNAME records belong in the zone");
    std::string_view owner = f[0];
    if (owner.starts_with("*.")) continue;  // the subdomain twin of a name listed too
    if (owner.ends_with(".")) {
      owner.remove_suffix(1);
      if (!owner.ends_with("." + origin)) return corrupt("an absolute name outside the zone");
      owner.remove_suffix(origin.size() + 1);
    }
    auto name = DomainName::Parse(owner);
    if (!name) return corrupt(fmt::format("'{}' is not a domain name", owner.substr(0, 100)));
    zone.domains.insert(name->name());
  }
  return zone;
}

Expected<std::set<std::string>> RpzActuator::Domains() const {
  MAMORI_ASSIGN_OR_RETURN(Zone zone, Read());
  return std::move(zone.domains);
}

Status RpzActuator::Reload() const {
  if (options_.reload_command.empty()) return Ok();
  std::vector<std::string> argv = actuators::SplitCommand(options_.reload_command);
  auto run = connectors::RunProcess(argv, options_.timeout);
  if (!run) return tl::unexpected(run.error().WithContext("[respond] rpz_reload_command"));
  std::string said = actuators::OneLine(run->out + " " + run->err);
  // unbound-control says "error ..." on standard output, with exit status 0 for some failures.
  if (run->exit_code == 0 && !Contains(run->out, "error")) return Ok();
  return MakeError(ErrorCode::kIo,
                   fmt::format("the reload command exited with {}: {}", run->exit_code, said),
                   fmt::format("[respond] rpz_reload_command: {}", connectors::ArgvText(argv)));
}

Status RpzActuator::Write(const Zone& previous, const std::set<std::string>& domains) {
  blocklist::Blocklist list;
  list.profile = "respond-rpz";
  // The serial is the write time, and always above the previous one (two changes within a
  // second, or a clock set back), so resolvers and secondaries see each change.
  list.built_at = std::max<UnixSeconds>(clock_.Now(), UnixSeconds{previous.serial} + 1);
  for (const std::string& name : domains) {
    blocklist::BlocklistEntry entry;
    entry.indicator = Indicator{IndicatorType::kDomain, name};
    entry.wildcard = true;
    list.entries.push_back(std::move(entry));
  }
  blocklist::SortCanonical(list.entries);
  MAMORI_ASSIGN_OR_RETURN(blocklist::RenderResult rendered,
                          blocklist::Render(list, ResponseProfile(options_.origin)));
  if (rendered.skipped != 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "a domain cannot be written as an RPZ trigger (a label other than "
                     "[a-z0-9_-], an rpz-* last label, or too long under the zone's origin)",
                     options_.zone_file.string());
  }
  MAMORI_RETURN_IF_ERROR(WriteFileAtomically(options_.zone_file, rendered.content));
  Status reloaded = Reload();
  if (reloaded) return Ok();

  Error error = reloaded.error();
  Status restored;
  if (previous.exists) {
    restored = WriteFileAtomically(options_.zone_file, previous.text);
  } else {
    std::error_code ec;
    std::filesystem::remove(options_.zone_file, ec);
  }
  if (restored) restored = Reload();
  error.message += restored ? "; the previous zone file was put back"
                            : fmt::format("; putting the previous zone file back also failed: {}",
                                          restored.error().ToString());
  return tl::unexpected(std::move(error));
}

Expected<std::string> RpzActuator::Target(const store::ActionRecord& action) const {
  auto refuse = [&](std::string why) {
    return MakeError(ErrorCode::kInvalidArgument, std::move(why),
                     fmt::format("rpz target '{}'", actuators::OneLine(action.target, 100)));
  };
  auto name = DomainName::Parse(action.target);
  if (!name) return refuse("not a domain name: " + name.error().message);
  if (name->IsPublicSuffix()) {
    return refuse(
        fmt::format("'{}' is a public suffix: blocking it and everything below it would "
                    "cut off a whole top-level domain or shared platform",
                    name->name()));
  }
  return name->name();
}

Status RpzActuator::Apply(const store::ActionRecord& action) {
  MAMORI_ASSIGN_OR_RETURN(std::string name, Target(action));
  MAMORI_ASSIGN_OR_RETURN(Zone zone, Read());
  if (zone.domains.contains(name)) return Ok();
  std::set<std::string> domains = zone.domains;
  domains.insert(name);
  return Write(zone, domains);
}

Status RpzActuator::Revert(const store::ActionRecord& action) {
  MAMORI_ASSIGN_OR_RETURN(std::string name, Target(action));
  MAMORI_ASSIGN_OR_RETURN(Zone zone, Read());
  if (!zone.domains.contains(name)) return Ok();
  std::set<std::string> domains = zone.domains;
  domains.erase(name);
  return Write(zone, domains);
}

Expected<bool> RpzActuator::IsInPlace(const store::ActionRecord& action) {
  MAMORI_ASSIGN_OR_RETURN(std::string name, Target(action));
  MAMORI_ASSIGN_OR_RETURN(Zone zone, Read());
  return zone.domains.contains(name);
}

}  // namespace mamori::rse::respond
