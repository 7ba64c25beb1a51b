// Zone snapshot reader (zone_reader.h). The master-file parser reads only what a delegation
// needs — owner, type — so it tolerates any rdata (quoted TXT, multi-line SOA in parentheses)
// without understanding it.
#include "domain/lifecycle/zone_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "core/domain_name.h"
#include "domain/lifecycle/source_file.h"

namespace mamori::domain::lifecycle {
namespace {

// The line without its comment, and the change in parenthesis depth it makes (both outside
// quoted strings).
std::string_view StripComment(std::string_view line, int& depth) {
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '\\') {
      ++i;  // an escaped character is never special
    } else if (c == '"') {
      quoted = !quoted;
    } else if (!quoted) {
      if (c == ';') return line.substr(0, i);
      if (c == '(') ++depth;
      if (c == ')') --depth;
    }
  }
  return line;
}

std::vector<std::string_view> Tokens(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    size_t start = i;
    while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool IsClass(std::string_view t) {
  return IEquals(t, "IN") || IEquals(t, "CH") || IEquals(t, "HS") || IEquals(t, "CS");
}

// An owner or $ORIGIN as a lower-case name without trailing dot: "@" is the origin, a name
// without a trailing dot is relative to it.
std::string Absolute(std::string_view name, const std::string& origin) {
  if (name == "@") return origin;
  if (name.ends_with('.')) return Lower(name.substr(0, name.size() - 1));
  if (origin.empty()) return Lower(name);
  return Lower(name) + "." + origin;
}

bool StrictlyBelow(const std::string& name, const std::string& zone) {
  if (zone.empty()) return name.find('.') != std::string::npos;
  return name.size() > zone.size() + 1 && name.ends_with(zone) &&
         name[name.size() - zone.size() - 1] == '.';
}

class ZoneParser {
 public:
  ZoneParser(LineReader& reader, ingest::IngestReport& report, ZoneSnapshot& out,
             bool zone_given, std::string file_zone)
      : reader_(reader), report_(report), out_(out), zone_given_(zone_given),
        file_zone_(std::move(file_zone)) {
    origin_ = zone_given_ ? out_.zone : file_zone_;
  }

  Status Line(std::string_view raw, bool master_hint) {
    if (depth_ == 0 && Trim(raw).starts_with('#')) {
      ++report_.ignored;  // a comment in a plain list
      return Ok();
    }
    int depth_change = 0;
    std::string_view text = StripComment(raw, depth_change);
    bool continuation = depth_ > 0;
    depth_ = std::max(0, depth_ + depth_change);
    if (continuation || Trim(text).empty()) {
      ++report_.ignored;
      return Ok();
    }
    auto tokens = Tokens(text);
    if (!mode_) mode_ = master_hint || tokens.size() > 1 || tokens[0].front() == '$';
    if (*mode_) return MasterLine(text, tokens);
    return ListLine(tokens);
  }

  // The zone once every line is read (a file that set none by $ORIGIN takes the file name's).
  Status Finish(const std::string& path) {
    if (out_.zone.empty()) out_.zone = file_zone_;
    if (out_.zone.empty()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "no zone name: give one (--name com), start the file with $ORIGIN, or "
                       "name the file after the zone (com-2026-01-05.txt, com.zone)",
                       path);
    }
    return Ok();
  }

 private:
  // The zone, fixed at the first record: the options' name, else an $ORIGIN seen before any
  // record, else the file name.
  const std::string& Zone() {
    if (out_.zone.empty()) out_.zone = origin_;
    return out_.zone;
  }

  void Keep(std::string_view name) {
    auto parsed = DomainName::Parse(name);
    if (!parsed) {
      reader_.Malformed(fmt::format("invalid name '{}': {}", name.substr(0, 80),
                                    parsed.error().message));
      return;
    }
    out_.domains.push_back(parsed->name());
    ++report_.records;
  }

  Status MasterLine(std::string_view text, const std::vector<std::string_view>& tokens) {
    if (tokens[0].front() == '$') {
      if (IEquals(tokens[0], "$ORIGIN")) {
        if (tokens.size() < 2) {
          reader_.Malformed("$ORIGIN without a name");
          return Ok();
        }
        origin_ = Absolute(tokens[1], origin_);
        if (!zone_given_ && !seen_record_ && !origin_set_zone_) {
          out_.zone = origin_;
          origin_set_zone_ = true;
        }
      } else if (IEquals(tokens[0], "$INCLUDE")) {
        reader_.Malformed("$INCLUDE is not followed; give the included file on its own");
      } else {
        ++report_.ignored;  // $TTL, $GENERATE: nothing we keep
      }
      return Ok();
    }
    bool inherits_owner = std::isspace(static_cast<unsigned char>(text.front()));
    size_t i = 0;
    std::string owner;
    if (inherits_owner) {
      if (last_owner_.empty()) {
        reader_.Malformed("a record without an owner name and no previous owner");
        return Ok();
      }
      owner = last_owner_;
    } else {
      owner = Absolute(tokens[0], origin_);
      last_owner_ = owner;
      i = 1;
    }
    seen_record_ = true;
    // [ttl] [class] type, TTL and class in either order; a TTL starts with a digit ("3600",
    // "1h"), a type never does.
    while (i < tokens.size() &&
           (std::isdigit(static_cast<unsigned char>(tokens[i].front())) || IsClass(tokens[i]))) {
      ++i;
    }
    if (i >= tokens.size()) {
      reader_.Malformed("a record without a type");
      return Ok();
    }
    if (!IEquals(tokens[i], "NS")) {
      ++report_.ignored;  // glue, DS, SOA …: not a delegation
      return Ok();
    }
    const std::string& zone = Zone();
    if (owner == zone) {
      ++report_.ignored;  // the apex's own name servers
      return Ok();
    }
    if (!StrictlyBelow(owner, zone)) {
      reader_.Malformed(fmt::format("NS owner '{}' is outside the zone '{}'", owner, zone));
      return Ok();
    }
    Keep(owner);
    return Ok();
  }

  Status ListLine(const std::vector<std::string_view>& tokens) {
    std::string_view token = tokens[0];
    const std::string& zone = Zone();
    std::string name = Lower(token.ends_with('.') ? token.substr(0, token.size() - 1) : token);
    // A bare label in a list is the name under the zone ("example" in the com list).
    if (name.find('.') == std::string::npos && !zone.empty() && name != zone) {
      name += "." + zone;
    }
    if (!zone.empty() && !StrictlyBelow(name, zone)) {
      reader_.Malformed(fmt::format("'{}' is not a name under the zone '{}'", name, zone));
      return Ok();
    }
    Keep(name);
    return Ok();
  }

  LineReader& reader_;
  ingest::IngestReport& report_;
  ZoneSnapshot& out_;
  bool zone_given_;
  std::string file_zone_;
  std::string origin_;
  std::string last_owner_;
  std::optional<bool> mode_;  // true: master file, false: list of names
  int depth_ = 0;             // open parentheses of a multi-line record
  bool seen_record_ = false;
  bool origin_set_zone_ = false;
};

}  // namespace

Expected<ZoneSnapshot> ReadZoneSnapshot(const std::string& path,
                                        const ingest::IngestOptions& options,
                                        ingest::IngestReport& report) {
  ZoneSnapshot snapshot;
  auto file_parts = ParseSnapshotFileName(path);
  if (!options.name.empty()) {
    std::string_view zone = options.name;
    if (zone.ends_with('.')) zone.remove_suffix(1);
    snapshot.zone = Lower(zone);
  }
  MAMORI_ASSIGN_OR_RETURN(snapshot.day, SnapshotDay(path, options));
  MAMORI_ASSIGN_OR_RETURN(auto reader, LineReader::Open(path, options, report));
  const bool master_hint = std::string_view(path).ends_with(".zone");
  ZoneParser parser(reader, report, snapshot, !snapshot.zone.empty(), file_parts.name);
  std::string line;
  while (reader.Next(line)) MAMORI_RETURN_IF_ERROR(parser.Line(line, master_hint));
  MAMORI_RETURN_IF_ERROR(reader.Finish());
  MAMORI_RETURN_IF_ERROR(parser.Finish(path));
  // Every delegation has several NS records: one name each.
  std::sort(snapshot.domains.begin(), snapshot.domains.end());
  snapshot.domains.erase(std::unique(snapshot.domains.begin(), snapshot.domains.end()),
                         snapshot.domains.end());
  return snapshot;
}

}  // namespace mamori::domain::lifecycle
