// DNSDB JSON lines ("COF", Common Output Format): one rrset per line,
//   {"rrname":"www.example.com.","rrtype":"A","rdata":["93.184.216.34"],"bailiwick":"example.com.",
//    "time_first":1380139330,"time_last":1381244300,"count":17}
// and the API v2 streaming form that wraps it in {"obj": …} between {"cond": …} lines.
// docs/formats/passive-dns.md, "DNSDB".
#include <simdjson.h>

#include "domain/pdns/internal/line_source.h"
#include "domain/pdns/internal/readers.h"
#include "domain/pdns/rrtype.h"

namespace mamori::domain::pdns::internal {
namespace {

namespace dom = simdjson::dom;
static_assert(LineSource::kPadding >= simdjson::SIMDJSON_PADDING,
              "LineSource must leave simdjson its padding after every line");

bool Has(dom::object& obj, std::string_view key, dom::element& out) {
  return obj[key].get(out) == simdjson::SUCCESS;
}

// A time field: an integer (some exports write it as a float).
bool ReadTime(dom::object& obj, std::string_view key, UnixSeconds& out, bool& present) {
  dom::element value;
  present = Has(obj, key, value);
  if (!present) return true;
  int64_t i;
  if (value.get_int64().get(i) == simdjson::SUCCESS) {
    out = i;
    return true;
  }
  uint64_t u;
  if (value.get_uint64().get(u) == simdjson::SUCCESS) return false;  // beyond int64
  double d;
  if (value.get_double().get(d) == simdjson::SUCCESS && d >= -9e18 && d <= 9e18) {
    out = static_cast<UnixSeconds>(d);
    return true;
  }
  return false;
}

class DnsdbParser final : public LineParser {
 public:
  void Parse(std::string_view line, LineContext& ctx) override {
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
      ctx.Ignored(&ReadStats::headers, "");
      return;
    }
    dom::element doc;
    // The line sits in LineSource's buffer with padding after it: parsed in place, no copy.
    if (auto error = parser_.parse(line.data(), line.size(), false).get(doc); error) {
      ctx.Malformed(fmt::format("not JSON: {}", simdjson::error_message(error)));
      return;
    }
    dom::object obj;
    if (doc.get_object().get(obj) != simdjson::SUCCESS) {
      ctx.Malformed("not a JSON object");
      return;
    }
    dom::element field;
    if (Has(obj, "obj", field)) {
      if (field.get_object().get(obj) != simdjson::SUCCESS) {
        ctx.Malformed("\"obj\" is not an object");
        return;
      }
    } else if (Has(obj, "cond", field)) {
      ctx.Ignored(&ReadStats::headers, "");  // begin / ongoing / succeeded markers
      return;
    }

    std::string_view rrname, rrtype_text;
    if (!Has(obj, "rrname", field) || field.get_string().get(rrname) != simdjson::SUCCESS) {
      ctx.Malformed("no \"rrname\" string");
      return;
    }
    if (!Has(obj, "rrtype", field) || field.get_string().get(rrtype_text) != simdjson::SUCCESS) {
      ctx.Malformed("no \"rrtype\" string");
      return;
    }
    std::optional<uint16_t> rrtype = ParseRrtype(rrtype_text);
    if (!rrtype) {
      ctx.Ignored(&ReadStats::unknown_rrtype,
                  fmt::format("unknown rrtype \"{}\"", rrtype_text.substr(0, 40)));
      return;
    }

    PdnsRecord& r = ctx.record;
    bool has_first = false, has_last = false;
    if (!ReadTime(obj, "time_first", r.first_seen, has_first) ||
        !ReadTime(obj, "time_last", r.last_seen, has_last)) {
      ctx.Malformed("\"time_first\"/\"time_last\" is not a number of seconds");
      return;
    }
    if (!has_first && !has_last) {
      // Zone file observations carry zone_time_* instead.
      if (!ReadTime(obj, "zone_time_first", r.first_seen, has_first) ||
          !ReadTime(obj, "zone_time_last", r.last_seen, has_last)) {
        ctx.Malformed("\"zone_time_first\"/\"zone_time_last\" is not a number of seconds");
        return;
      }
    }
    if (!has_first && !has_last) {
      ctx.Malformed("no time_first/time_last (or zone_time_first/zone_time_last)");
      return;
    }
    if (!has_first) r.first_seen = r.last_seen;
    if (!has_last) r.last_seen = r.first_seen;
    if (r.last_seen < r.first_seen) {
      ctx.Malformed("time_last is before time_first");
      return;
    }
    // Zone observations have no count: each line is one sighting.
    r.count = 1;
    if (Has(obj, "count", field)) {
      int64_t count;
      if (field.get_int64().get(count) != simdjson::SUCCESS || count < 0) {
        ctx.Malformed("\"count\" is not a non-negative integer");
        return;
      }
      r.count = count;
    }

    if (Status ok = NormalizeName(rrname, "rrname", r.name); !ok) {
      ctx.Malformed(ok.error().message);
      return;
    }
    r.rrtype = *rrtype;

    if (!Has(obj, "rdata", field)) {
      ctx.Malformed("no \"rdata\"");
      return;
    }
    // One record per rdata element. The line is refused whole when one element is bad: a
    // partial rrset would misstate what the name resolved to.
    rdata_.clear();
    std::string_view text;
    if (field.get_string().get(text) == simdjson::SUCCESS) {
      rdata_.push_back(text);
    } else {
      dom::array array;
      if (field.get_array().get(array) != simdjson::SUCCESS) {
        ctx.Malformed("\"rdata\" is neither a string nor an array of strings");
        return;
      }
      for (dom::element element : array) {
        if (element.get_string().get(text) != simdjson::SUCCESS) {
          ctx.Malformed("\"rdata\" holds something other than strings");
          return;
        }
        rdata_.push_back(text);
      }
    }
    if (rdata_.empty()) {
      ctx.Malformed("\"rdata\" is empty");
      return;
    }
    normalized_.resize(rdata_.size());
    for (size_t i = 0; i < rdata_.size(); ++i) {
      if (Status ok = NormalizeRdata(r.rrtype, rdata_[i], normalized_[i]); !ok) {
        ctx.Malformed(ok.error().message);
        return;
      }
    }
    for (size_t i = 0; i < rdata_.size(); ++i) {
      r.rdata.swap(normalized_[i]);
      ctx.Emit();
      r.rdata.swap(normalized_[i]);
    }
  }

 private:
  dom::parser parser_;
  std::vector<std::string_view> rdata_;
  std::vector<std::string> normalized_;
};

}  // namespace

std::unique_ptr<LineParser> NewDnsdbParser() { return std::make_unique<DnsdbParser>(); }

}  // namespace mamori::domain::pdns::internal
