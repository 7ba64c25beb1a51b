// The per-format line parsers behind ReadPdnsFile (reader.h), private to domain/pdns. Each
// takes one line and its position and emits zero or more records; the shared LineContext
// counts and reports.
#pragma once

#include <fmt/format.h>

#include <memory>
#include <string>
#include <string_view>

#include "domain/ingest/report.h"
#include "domain/pdns/reader.h"
#include "domain/pdns/record.h"

namespace mamori::domain::pdns::internal {

// Where a line is and what to do with what it holds.
struct LineContext {
  std::string_view file;
  int64_t line = 0;
  ingest::IngestReport* report = nullptr;
  ReadStats* stats = nullptr;  // never null here
  const RecordFn* fn = nullptr;
  PdnsRecord record;  // reused

  void Malformed(std::string_view why) {
    report->AddError(fmt::format("{}:{}: {}", file, line, why));
  }
  void Ignored(int64_t ReadStats::*counter, std::string_view why) {
    ++report->ignored;
    ++(stats->*counter);
    if (!why.empty() && stats->examples.size() < ReadStats::kMaxExamples) {
      stats->examples.push_back(fmt::format("{}:{}: {}", file, line, why));
    }
  }
  void Emit() {
    ++report->records;
    (*fn)(record);
  }
};

// A line parser; one per file, stateful (Zeek's header defines the columns).
class LineParser {
 public:
  virtual ~LineParser() = default;
  // `line` has LineSource::kPadding readable bytes after its end.
  virtual void Parse(std::string_view line, LineContext& ctx) = 0;
};

std::unique_ptr<LineParser> NewDnsdbParser();
// `accept_tsv` / `accept_json`: which Zeek forms a line may be in.
std::unique_ptr<LineParser> NewZeekParser(bool accept_tsv, bool accept_json);

}  // namespace mamori::domain::pdns::internal
