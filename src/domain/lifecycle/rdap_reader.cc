// RDAP domain response reader (rdap_reader.h).
#include "domain/lifecycle/rdap_reader.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/domain_name.h"
#include "domain/lifecycle/source_file.h"

namespace mamori::domain::lifecycle {
namespace {

using nlohmann::json;

std::string StringMember(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool HasRole(const json& entity, std::string_view role) {
  auto roles = entity.find("roles");
  if (roles == entity.end() || !roles->is_array()) return false;
  for (const auto& r : *roles) {
    if (r.is_string() && r.get_ref<const std::string&>() == role) return true;
  }
  return false;
}

// The value of vCard property `property` ("fn", "email") of an entity's jCard (RFC 7095):
// ["vcard", [[name, params, type, value], …]].
std::string VcardValue(const json& entity, std::string_view property) {
  auto card = entity.find("vcardArray");
  if (card == entity.end() || !card->is_array() || card->size() < 2 || !(*card)[1].is_array()) {
    return {};
  }
  for (const auto& p : (*card)[1]) {
    if (p.is_array() && p.size() >= 4 && p[0].is_string() &&
        p[0].get_ref<const std::string&>() == property && p[3].is_string()) {
      return p[3].get<std::string>();
    }
  }
  return {};
}

// The first entity (searching nested entities too) with `role`.
const json* FindEntity(const json& holder, std::string_view role) {
  auto entities = holder.find("entities");
  if (entities == holder.end() || !entities->is_array()) return nullptr;
  for (const auto& e : *entities) {
    if (e.is_object() && HasRole(e, role)) return &e;
  }
  for (const auto& e : *entities) {
    if (!e.is_object()) continue;
    if (const json* nested = FindEntity(e, role)) return nested;
  }
  return nullptr;
}

std::string NameForm(std::string name) {
  if (!name.empty() && name.back() == '.') name.pop_back();
  return Lower(name);
}

}  // namespace

Expected<store::RegistrationObservation> RegistrationFromRdap(
    const json& doc, std::optional<UnixSeconds> default_at) {
  auto bad = [](std::string why) { return MakeError(ErrorCode::kInvalidArgument, std::move(why)); };
  if (!doc.is_object()) return bad("not a JSON object");
  std::string object_class = StringMember(doc, "objectClassName");
  if (object_class != "domain") {
    if (doc.contains("errorCode")) {
      return bad(fmt::format("an RDAP error response (errorCode {})", doc["errorCode"].dump()));
    }
    return bad(fmt::format("objectClassName is '{}', not 'domain'", object_class));
  }
  std::string ldh = StringMember(doc, "ldhName");
  if (ldh.empty()) ldh = StringMember(doc, "unicodeName");
  if (ldh.empty()) return bad("no ldhName");
  auto name = DomainName::Parse(ldh);
  if (!name) return bad(fmt::format("invalid ldhName '{}': {}", ldh, name.error().message));

  store::RegistrationObservation r;
  r.domain = name->name();
  std::optional<UnixSeconds> database_update;
  if (auto events = doc.find("events"); events != doc.end() && events->is_array()) {
    for (const auto& e : *events) {
      if (!e.is_object()) continue;
      std::string action = StringMember(e, "eventAction");
      UnixSeconds t = ParseTimestamp(StringMember(e, "eventDate"));
      if (t < 0) continue;  // an unreadable date says nothing
      if (action == "registration") r.created = t;
      if (action == "expiration") r.expires = t;
      if (action == "last changed") r.updated = t;
      if (action == "last update of RDAP database") database_update = t;
    }
  }

  auto observed = doc.find("mamori_observed_at");
  if (observed != doc.end()) {
    if (!observed->is_number_integer() || observed->get<int64_t>() < 0) {
      return bad("mamori_observed_at is not Unix seconds (a non-negative integer)");
    }
    r.observed_at = observed->get<int64_t>();
  } else if (default_at) {
    // The response's own "last update of RDAP database" is closer to the truth than the day's
    // start when it falls on that day: a domain registered at 14:00 and crawled at 15:00 must
    // not look observed at 00:00, before it existed.
    bool same_day = database_update && *database_update >= *default_at &&
                    *database_update < *default_at + 86400;
    r.observed_at = same_day ? *database_update : *default_at;
  } else if (database_update) {
    r.observed_at = *database_update;
  } else {
    return bad("no observation time: no mamori_observed_at member or \"last update of RDAP "
               "database\" event, no --day and no date in the file name");
  }
  if (const json* registrar = FindEntity(doc, "registrar")) {
    r.registrar = VcardValue(*registrar, "fn");
    if (auto ids = registrar->find("publicIds"); ids != registrar->end() && ids->is_array()) {
      for (const auto& id : *ids) {
        if (id.is_object() && StringMember(id, "type") == "IANA Registrar ID") {
          r.registrar_iana = StringMember(id, "identifier");
        }
      }
    }
    // The gTLD RDAP profile nests the abuse contact in the registrar entity.
    if (const json* abuse = FindEntity(*registrar, "abuse")) {
      r.abuse_email = Lower(VcardValue(*abuse, "email"));
    }
  }
  if (r.abuse_email.empty()) {
    if (const json* abuse = FindEntity(doc, "abuse")) r.abuse_email = Lower(VcardValue(*abuse, "email"));
  }
  if (auto ns = doc.find("nameservers"); ns != doc.end() && ns->is_array()) {
    for (const auto& n : *ns) {
      if (!n.is_object()) continue;
      std::string host = NameForm(StringMember(n, "ldhName"));
      if (!host.empty()) r.nameservers.push_back(std::move(host));
    }
  }
  if (auto status = doc.find("status"); status != doc.end() && status->is_array()) {
    for (const auto& s : *status) {
      if (s.is_string()) r.statuses.push_back(Lower(s.get_ref<const std::string&>()));
    }
  }
  return r;
}

Expected<std::vector<store::RegistrationObservation>> ReadRdapFile(
    const std::string& path, const ingest::IngestOptions& options, ingest::IngestReport& report) {
  std::optional<UnixSeconds> default_at;
  if (options.day) {
    default_at = DayStart(*options.day);
  } else if (auto day = ParseSnapshotFileName(path).day) {
    default_at = DayStart(*day);
  }
  std::vector<store::RegistrationObservation> out;
  auto take = [&](const json& doc, const std::string& where) {
    try {
      auto r = RegistrationFromRdap(doc, default_at);
      if (!r) {
        report.AddError(fmt::format("{}: {}", where, r.error().message));
        return;
      }
      out.push_back(std::move(*r));
      ++report.records;
    } catch (const json::exception& e) {
      report.AddError(fmt::format("{}: {}", where, e.what()));
    }
  };

  // JSON lines when the first non-blank line is a whole JSON value by itself; otherwise the
  // file is one (pretty-printed) document.
  bool json_lines = false, blank = true;
  {
    std::ifstream in(path, std::ios::binary);
    if (!in) return MakeError(ErrorCode::kIo, "cannot open the file for reading", path);
    std::string line;
    while (std::getline(in, line)) {
      if (Trim(line).empty() || Trim(line) == "\r") continue;
      blank = false;
      json_lines = !json::parse(line, nullptr, false).is_discarded();
      break;
    }
  }
  // An empty file is a day without observations (a crawl that found nothing new), not a broken
  // document.
  if (blank) return out;
  if (json_lines) {
    MAMORI_ASSIGN_OR_RETURN(auto reader, LineReader::Open(path, options, report));
    std::string line;
    while (reader.Next(line)) {
      if (Trim(line).empty()) {
        ++report.ignored;
        continue;
      }
      json doc = json::parse(line, nullptr, false);
      std::string where = fmt::format("{}:{}", path, reader.line_number());
      if (doc.is_discarded()) {
        report.AddError(where + ": not valid JSON");
        continue;
      }
      take(doc, where);
    }
    MAMORI_RETURN_IF_ERROR(reader.Finish());
    return out;
  }

  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return MakeError(ErrorCode::kIo, "read error", path);
  json doc = json::parse(buffer.str(), nullptr, false);
  if (doc.is_discarded()) {
    // One document that does not parse: nothing in the file can be trusted.
    return MakeError(ErrorCode::kInvalidArgument,
                     "neither one JSON document nor JSON lines (one RDAP response per line)", path);
  }
  if (doc.is_array()) {
    for (size_t i = 0; i < doc.size(); ++i) {
      ++report.lines;
      take(doc[i], fmt::format("{}: document {}", path, i + 1));
    }
  } else {
    ++report.lines;
    take(doc, path);
  }
  if (options.progress) options.progress(static_cast<int64_t>(buffer.str().size()), 0);
  return out;
}

}  // namespace mamori::domain::lifecycle
