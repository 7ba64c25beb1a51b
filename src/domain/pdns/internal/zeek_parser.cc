// Zeek dns.log, in its TSV form (with #separator/#fields/… header lines) and its JSON form (one
// object per line). Each response becomes observations at its `ts`:
//   - an address answer: an A or AAAA record of the query name;
//   - a name answer to an NS, MX or PTR query: a record of that type;
//   - the first name answer to any other query: a CNAME of the query name. Zeek lists a CNAME
//     chain as its names and then the final addresses, without saying which name owns which
//     answer; we keep query → first name, attribute the addresses to the query name, and drop
//     the inner links of longer chains (docs/formats/passive-dns.md, "Zeek approximation").
// NXDOMAIN responses are counted and store nothing; other answers (TXT text, SOA, …) are not
// kept.
#include <simdjson.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <optional>
#include <vector>

#include "core/ip.h"
#include "domain/pdns/internal/line_source.h"
#include "domain/pdns/internal/readers.h"
#include "domain/pdns/rrtype.h"

namespace mamori::domain::pdns::internal {
namespace {

namespace dom = simdjson::dom;

// One dns.log entry, as views into the line.
struct DnsEntry {
  double ts = 0;
  std::string_view query;
  std::optional<uint16_t> qtype;
  std::optional<int64_t> rcode;
  std::string_view rcode_name;
  std::vector<std::string_view> answers;
};

bool ParseDouble(std::string_view text, double& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size() &&
         std::isfinite(out);
}

bool ParseInt(std::string_view text, int64_t& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

// "2020-06-05T14:39:59.305988Z" (Zeek's JSON::TS_ISO8601); the fraction is dropped.
bool ParseIsoTime(std::string_view text, double& out) {
  int y, mo, d, h, mi, s;
  if (text.size() < 20 || std::sscanf(std::string(text.substr(0, 19)).c_str(),
                                      "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6) {
    return false;
  }
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  out = static_cast<double>(timegm(&tm));
  return true;
}

std::vector<std::string_view> Split(std::string_view text, std::string_view separator) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t at = text.find(separator, start);
    if (at == std::string_view::npos) {
      out.push_back(text.substr(start));
      return out;
    }
    out.push_back(text.substr(start, at - start));
    start = at + separator.size();
  }
}

// Zeek writes the separators of its header as "\x09"-style escapes.
std::string Unescape(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 3 < text.size() && text[i + 1] == 'x') {
      int value = 0;
      auto [end, ec] = std::from_chars(text.data() + i + 2, text.data() + i + 4, value, 16);
      if (ec == std::errc() && end == text.data() + i + 4) {
        out.push_back(static_cast<char>(value));
        i += 3;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

class ZeekParser final : public LineParser {
 public:
  ZeekParser(bool accept_tsv, bool accept_json)
      : accept_tsv_(accept_tsv), accept_json_(accept_json) {}

  void Parse(std::string_view line, LineContext& ctx) override {
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
      ctx.Ignored(&ReadStats::headers, "");
      return;
    }
    if (line.front() == '{') {
      if (!accept_json_) {
        ctx.Malformed("a JSON line in a Zeek TSV log");
        return;
      }
      ParseJson(line, ctx);
      return;
    }
    if (!accept_tsv_) {
      ctx.Malformed("not a JSON object (a Zeek JSON log has one per line)");
      return;
    }
    if (line.front() == '#') {
      ParseHeader(line, ctx);
      return;
    }
    ParseTsv(line, ctx);
  }

 private:
  void ParseHeader(std::string_view line, LineContext& ctx) {
    ctx.Ignored(&ReadStats::headers, "");
    // "#separator \x09" uses a space; the other header lines use the separator itself.
    if (line.starts_with("#separator ")) {
      separator_ = Unescape(line.substr(11));
      return;
    }
    size_t cut = line.find(separator_);
    if (cut == std::string_view::npos) return;
    std::string_view key = line.substr(1, cut - 1);
    std::string_view value = line.substr(cut + separator_.size());
    if (key == "set_separator") {
      set_separator_ = Unescape(value);
    } else if (key == "empty_field") {
      empty_ = Unescape(value);
    } else if (key == "unset_field") {
      unset_ = Unescape(value);
    } else if (key == "path") {
      path_ = std::string(value);
    } else if (key == "fields") {
      columns_ = Columns{};
      std::vector<std::string_view> names = Split(value, separator_);
      field_count_ = names.size();
      for (size_t i = 0; i < names.size(); ++i) {
        std::string_view n = names[i];
        if (n == "ts")
          columns_.ts = i;
        else if (n == "query")
          columns_.query = i;
        else if (n == "qtype")
          columns_.qtype = i;
        else if (n == "qtype_name")
          columns_.qtype_name = i;
        else if (n == "rcode")
          columns_.rcode = i;
        else if (n == "rcode_name")
          columns_.rcode_name = i;
        else if (n == "answers")
          columns_.answers = i;
      }
      has_fields_ = true;
    }
  }

  void ParseTsv(std::string_view line, LineContext& ctx) {
    if (!path_.empty() && path_ != "dns") {
      ctx.Malformed(fmt::format("a Zeek \"{}\" log, not dns.log", path_));
      return;
    }
    if (!has_fields_) {
      ctx.Malformed("a data line before the #fields header");
      return;
    }
    if (columns_.ts == kNone || columns_.query == kNone || columns_.answers == kNone) {
      ctx.Malformed("the #fields header lacks ts, query or answers");
      return;
    }
    fields_ = Split(line, separator_);
    if (fields_.size() != field_count_) {
      ctx.Malformed(fmt::format("{} fields where #fields names {}", fields_.size(), field_count_));
      return;
    }
    auto value = [&](size_t column) -> std::optional<std::string_view> {
      if (column == kNone) return std::nullopt;
      std::string_view v = fields_[column];
      if (v == unset_) return std::nullopt;
      return v;
    };
    DnsEntry e;
    if (!ParseDouble(fields_[columns_.ts], e.ts)) {
      ctx.Malformed(fmt::format("ts \"{}\" is not a time", fields_[columns_.ts].substr(0, 40)));
      return;
    }
    e.query = value(columns_.query).value_or("");
    if (auto q = value(columns_.qtype)) {
      int64_t n;
      if (ParseInt(*q, n) && n >= 0 && n <= 65535) e.qtype = static_cast<uint16_t>(n);
    }
    if (!e.qtype) {
      if (auto q = value(columns_.qtype_name)) e.qtype = ParseRrtype(*q);
    }
    if (auto r = value(columns_.rcode)) {
      int64_t n;
      if (ParseInt(*r, n)) e.rcode = n;
    }
    e.rcode_name = value(columns_.rcode_name).value_or("");
    if (auto a = value(columns_.answers); a && *a != empty_) {
      for (std::string_view answer : Split(*a, set_separator_)) e.answers.push_back(answer);
    }
    Emit(e, ctx);
  }

  void ParseJson(std::string_view line, LineContext& ctx) {
    dom::element doc;
    if (auto error = parser_.parse(line.data(), line.size(), false).get(doc); error) {
      ctx.Malformed(fmt::format("not JSON: {}", simdjson::error_message(error)));
      return;
    }
    dom::object obj;
    if (doc.get_object().get(obj) != simdjson::SUCCESS) {
      ctx.Malformed("not a JSON object");
      return;
    }
    DnsEntry e;
    dom::element field;
    std::string_view text;
    if (obj["ts"].get(field) != simdjson::SUCCESS) {
      ctx.Malformed("no \"ts\"");
      return;
    }
    if (field.get_double().get(e.ts) != simdjson::SUCCESS &&
        !(field.get_string().get(text) == simdjson::SUCCESS && ParseIsoTime(text, e.ts))) {
      ctx.Malformed("\"ts\" is neither seconds nor an ISO 8601 time");
      return;
    }
    if (obj["query"].get(field) == simdjson::SUCCESS &&
        field.get_string().get(e.query) != simdjson::SUCCESS) {
      e.query = {};  // not a string: treated as absent
    }
    int64_t n;
    if (obj["qtype"].get(field) == simdjson::SUCCESS &&
        field.get_int64().get(n) == simdjson::SUCCESS && n >= 0 && n <= 65535) {
      e.qtype = static_cast<uint16_t>(n);
    } else if (obj["qtype_name"].get(field) == simdjson::SUCCESS &&
               field.get_string().get(text) == simdjson::SUCCESS) {
      e.qtype = ParseRrtype(text);
    }
    if (obj["rcode"].get(field) == simdjson::SUCCESS &&
        field.get_int64().get(n) == simdjson::SUCCESS) {
      e.rcode = n;
    }
    if (obj["rcode_name"].get(field) == simdjson::SUCCESS &&
        field.get_string().get(e.rcode_name) != simdjson::SUCCESS) {
      e.rcode_name = {};
    }
    if (obj["answers"].get(field) == simdjson::SUCCESS) {
      dom::array answers;
      if (field.get_array().get(answers) != simdjson::SUCCESS) {
        ctx.Malformed("\"answers\" is not an array");
        return;
      }
      for (dom::element answer : answers) {
        if (answer.get_string().get(text) == simdjson::SUCCESS) e.answers.push_back(text);
      }
    }
    Emit(e, ctx);
  }

  void Emit(const DnsEntry& e, LineContext& ctx) {
    if (e.rcode.value_or(-1) == 3 || e.rcode_name == "NXDOMAIN") {
      ctx.Ignored(&ReadStats::nxdomain, "");
      return;
    }
    if (e.query.empty() || e.answers.empty()) {
      ctx.Ignored(&ReadStats::no_answer, "");
      return;
    }
    PdnsRecord& r = ctx.record;
    if (Status ok = NormalizeName(e.query, "query", r.name); !ok) {
      ctx.Malformed(ok.error().message);
      return;
    }
    r.first_seen = r.last_seen = static_cast<UnixSeconds>(std::floor(e.ts));
    r.count = 1;
    const uint16_t qtype = e.qtype.value_or(0);
    const bool name_type = qtype == kTypeNs || qtype == kTypeMx || qtype == kTypePtr;
    bool cname_seen = false;
    int emitted = 0;
    for (std::string_view answer : e.answers) {
      if (auto ip = IpAddress::Parse(answer)) {
        r.rrtype = ip->is_v4() ? kTypeA : kTypeAaaa;
        r.rdata = ip->ToString();
      } else if (name_type) {
        if (!NormalizeRdata(qtype, answer, r.rdata)) continue;
        r.rrtype = qtype;
      } else if (!cname_seen) {
        if (!NormalizeName(answer, "answer", r.rdata)) continue;  // TXT text, SOA, …
        cname_seen = true;
        r.rrtype = kTypeCname;
      } else {
        continue;  // an inner link of a CNAME chain
      }
      ctx.Emit();
      ++emitted;
    }
    if (emitted == 0) ctx.Ignored(&ReadStats::no_answer, "");
  }

  static constexpr size_t kNone = static_cast<size_t>(-1);
  struct Columns {
    size_t ts = kNone, query = kNone, qtype = kNone, qtype_name = kNone, rcode = kNone,
           rcode_name = kNone, answers = kNone;
  };

  bool accept_tsv_;
  bool accept_json_;
  // Zeek's defaults, replaced by the header's values.
  std::string separator_ = "\t";
  std::string set_separator_ = ",";
  std::string empty_ = "(empty)";
  std::string unset_ = "-";
  std::string path_;
  bool has_fields_ = false;
  size_t field_count_ = 0;
  Columns columns_;
  std::vector<std::string_view> fields_;
  dom::parser parser_;
};

}  // namespace

std::unique_ptr<LineParser> NewZeekParser(bool accept_tsv, bool accept_json) {
  return std::make_unique<ZeekParser>(accept_tsv, accept_json);
}

}  // namespace mamori::domain::pdns::internal
