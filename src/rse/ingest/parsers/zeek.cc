// Zeek conn.log and dns.log → events, in both of Zeek's writers: the default TSV (header lines
// "#separator", "#fields" ... then one tab-separated record per line) and JSON (LogAscii::use_json,
// one object per line with the same keys). docs/formats/logs-zeek.md documents the mapping.
//
// The TSV reader is stateful: "#fields" defines the columns of the records after it, "#separator",
// "#unset_field" and "#empty_field" how to split and what is absent. Until a "#fields" line has
// been seen (a file tailed from a saved offset after a restart never shows its header again), the
// columns of Zeek's default conn/dns logs are assumed. Header lines are kSkip. The format of each
// line is detected on its own: '{' starts a JSON record.
#include <array>
#include <exception>
#include <string>
#include <vector>

#include "rse/ingest/parsers/field_text.h"
#include "rse/ingest/parsers/json_line.h"
#include "rse/ingest/parsers/log_scan.h"
#include "rse/ingest/parsers/parsers.h"

namespace mamori::rse::ingest {
namespace {

// The Zeek columns we map.
enum class Column : uint8_t {
  kIgnored,
  kTs,
  kOrigH,
  kOrigP,
  kRespH,
  kRespP,
  kProto,
  kService,
  kOrigBytes,
  kRespBytes,
  kConnState,
  kQuery,
  kQtypeName,
  kRcodeName,
};

Column ColumnOf(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, Column>, 13> kNames = {{
      {"ts", Column::kTs},
      {"id.orig_h", Column::kOrigH},
      {"id.orig_p", Column::kOrigP},
      {"id.resp_h", Column::kRespH},
      {"id.resp_p", Column::kRespP},
      {"proto", Column::kProto},
      {"service", Column::kService},
      {"orig_bytes", Column::kOrigBytes},
      {"resp_bytes", Column::kRespBytes},
      {"conn_state", Column::kConnState},
      {"query", Column::kQuery},
      {"qtype_name", Column::kQtypeName},
      {"rcode_name", Column::kRcodeName},
  }};
  for (const auto& [known, column] : kNames) {
    if (known == name) return column;
  }
  return Column::kIgnored;
}

// Zeek's default columns (Zeek 4-7), used until a "#fields" line says otherwise.
constexpr std::string_view kDefaultConnFields =
    "ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto service duration orig_bytes resp_bytes "
    "conn_state local_orig local_resp missed_bytes history orig_pkts orig_ip_bytes resp_pkts "
    "resp_ip_bytes tunnel_parents";
constexpr std::string_view kDefaultDnsFields =
    "ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto trans_id rtt query qclass qclass_name "
    "qtype qtype_name rcode rcode_name AA TC RD RA Z answers TTLs rejected";

// conn_state → event.outcome: did the connection get established?
std::string_view ConnOutcome(std::string_view state) {
  if (state == "SF" || state == "S1" || state == "S2" || state == "S3" || state == "RSTO" ||
      state == "RSTR") {
    return "success";
  }
  if (state == "REJ" || state == "S0" || state == "RSTOS0" || state == "RSTRH" || state == "SH" ||
      state == "SHR") {
    return "failure";
  }
  return "unknown";
}

class ZeekParser final : public LogParser {
 public:
  ZeekParser(ZeekLog log, const ParserOptions& options) : log_(log), options_(options) {
    SetColumns(log == ZeekLog::kConn ? kDefaultConnFields : kDefaultDnsFields, ' ');
  }

  std::string_view format() const override {
    return log_ == ZeekLog::kConn ? "zeek-conn" : "zeek-dns";
  }

  ParseResult Parse(std::string_view line, Event& event) override {
    event.raw = line;
    if (line.size() > options_.max_line_bytes) return ParseResult::Malformed("line too long");
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (scan::TrimRight(line).empty()) return ParseResult::Skip();
    arena_.Reset();
    if (line.front() == '#') return Header(line);
    Values values;
    ParseResult result;
    if (line.front() == '{') {
      try {
        result = Json(line, values);
      } catch (const std::exception&) {
        return ParseResult::Malformed("JSON parser failure");
      }
    } else {
      result = Tsv(line, values);
    }
    if (result.outcome != ParseOutcome::kEvent) return result;
    return Finish(values, event);
  }

 private:
  // The mapped values of one record, as written; absent = empty.
  struct Values {
    std::array<std::string_view, 14> by_column{};
    std::string_view& operator[](Column c) { return by_column[static_cast<size_t>(c)]; }
  };

  void SetColumns(std::string_view names, char separator) {
    columns_.clear();
    size_t start = 0;
    while (start <= names.size()) {
      size_t end = names.find(separator, start);
      if (end == std::string_view::npos) end = names.size();
      columns_.push_back(ColumnOf(names.substr(start, end - start)));
      start = end + 1;
    }
  }

  // "#separator \x09" (space after the directive), then "#key<sep>value" lines.
  ParseResult Header(std::string_view line) {
    if (line.starts_with("#separator ")) {
      std::string_view value = line.substr(11);
      if (value.size() == 4 && value.starts_with("\\x")) {
        int hi = HexDigit(value[2]), lo = HexDigit(value[3]);
        if (hi < 0 || lo < 0) return ParseResult::Malformed("bad #separator");
        separator_ = static_cast<char>(hi * 16 + lo);
      } else if (value.size() == 1) {
        separator_ = value[0];
      } else {
        return ParseResult::Malformed("bad #separator");
      }
      return ParseResult::Skip();
    }
    size_t sep = line.find(separator_);
    std::string_view key = line.substr(1, sep == std::string_view::npos ? line.npos : sep - 1);
    std::string_view value = sep == std::string_view::npos ? "" : line.substr(sep + 1);
    if (key == "fields") {
      SetColumns(value, separator_);
      field_count_ = columns_.size();
    } else if (key == "unset_field") {
      unset_ = std::string(value);
    } else if (key == "empty_field") {
      empty_ = std::string(value);
    }
    // #path, #open, #types, #close, #set_separator and comments carry no event.
    return ParseResult::Skip();
  }

  static int HexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  ParseResult Tsv(std::string_view line, Values& values) {
    size_t index = 0;
    size_t start = 0;
    while (true) {
      size_t end = line.find(separator_, start);
      std::string_view value = line.substr(start, end == line.npos ? line.npos : end - start);
      if (index < columns_.size()) {
        Column column = columns_[index];
        if (column != Column::kIgnored && value != unset_ && value != empty_) {
          values[column] = value;
        }
      }
      ++index;
      if (end == line.npos) break;
      start = end + 1;
    }
    if (field_count_ != 0 && index != field_count_) {
      return ParseResult::Malformed("column count differs from #fields");
    }
    if (field_count_ == 0 && index < 7) return ParseResult::Malformed("too few columns");
    return ParseResult::Ok();
  }

  ParseResult Json(std::string_view line, Values& values) {
    json::od::document doc;
    std::string_view reason;
    if (!json_.Iterate(line, doc, reason)) return ParseResult::Malformed(reason);
    json::od::object root;
    if (doc.get_object().get(root)) return ParseResult::Malformed("not a JSON object");
    for (auto result : root) {
      json::od::field f;
      if (auto error = std::move(result).get(f))
        return ParseResult::Malformed(json::ErrorReason(error));
      Column column = ColumnOf(json::KeyOf(f));
      if (column == Column::kIgnored) continue;
      std::string_view text;
      if (auto error = json::ScalarText(f.value(), text)) {
        return ParseResult::Malformed(json::ErrorReason(error));
      }
      values[column] = text;
    }
    if (!json::AtEnd(doc)) return ParseResult::Malformed("trailing data after the JSON object");
    return ParseResult::Ok();
  }

  ParseResult Finish(Values& values, Event& event) {
    std::string_view ts = values[Column::kTs];
    if (!ts.empty()) {
      // TSV and default JSON: epoch seconds; JSON with JSON::TS_ISO8601: an RFC 3339 string.
      event.time = field_text::ParseEpoch(ts);
      if (event.time == 0) event.time = scan::ParseIsoTime(ts);
      if (event.time == 0) return ParseResult::Malformed("bad ts");
    }
    auto set = [&](Field field, Column column) {
      if (!values[column].empty()) event.Set(field, values[column]);
    };
    set(Field::kSourceIp, Column::kOrigH);
    set(Field::kSourcePort, Column::kOrigP);
    set(Field::kDestinationIp, Column::kRespH);
    set(Field::kDestinationPort, Column::kRespP);
    if (!values[Column::kProto].empty()) {
      event.Set(Field::kNetworkTransport, field_text::Transport(values[Column::kProto], arena_));
    }
    event.Set(Field::kObserverVendor, "Zeek");
    event.Set(Field::kObserverProduct, "Zeek");
    if (log_ == ZeekLog::kConn) {
      event.Set(Field::kEventDataset, "zeek.conn");
      event.Set(Field::kEventCategory, "network");
      event.Set(Field::kEventAction, "connection");
      if (!values[Column::kService].empty()) {
        event.Set(Field::kNetworkProtocol,
                  field_text::LowerAscii(values[Column::kService], arena_));
      }
      uint64_t orig = 0, resp = 0;
      bool has_orig = field_text::ParseUnsigned(values[Column::kOrigBytes], orig);
      bool has_resp = field_text::ParseUnsigned(values[Column::kRespBytes], resp);
      if (has_orig || has_resp) {
        event.Set(Field::kNetworkBytes, field_text::FormatUnsigned(orig + resp, arena_));
      }
      std::string_view state = values[Column::kConnState];
      if (!state.empty()) {
        event.Set(Field::kMessage, state);
        event.Set(Field::kEventOutcome, ConnOutcome(state));
      }
    } else {
      event.Set(Field::kEventDataset, "zeek.dns");
      event.Set(Field::kEventCategory, "dns");
      event.Set(Field::kEventAction, "query");
      event.Set(Field::kNetworkProtocol, "dns");
      set(Field::kDnsQuestionName, Column::kQuery);
      set(Field::kDnsQuestionType, Column::kQtypeName);
      set(Field::kDnsResponseCode, Column::kRcodeName);
    }
    return ParseResult::Ok();
  }

  ZeekLog log_;
  ParserOptions options_;
  std::vector<Column> columns_;
  size_t field_count_ = 0;  // columns of the last #fields line; 0 = default layout
  char separator_ = '\t';
  std::string unset_ = "-";
  std::string empty_ = "(empty)";
  json::JsonLine json_;
  Arena arena_;
};

}  // namespace

std::unique_ptr<LogParser> MakeZeekParser(ZeekLog log, const ParserOptions& options) {
  return std::make_unique<ZeekParser>(log, options);
}

}  // namespace mamori::rse::ingest
