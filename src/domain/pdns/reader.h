// Passive DNS readers: stream a file of one of the supported formats (docs/formats/
// passive-dns.md) and call `fn` once per normalised observation, without aggregating.
//
//   "dnsdb"     Farsight DNSDB JSON lines ("COF"; also the API v2 {"obj": …} wrapping)
//   "zeek-tsv"  Zeek dns.log, tab-separated with its #fields header
//   "zeek-json" Zeek dns.log as JSON lines
//   "zeek"      either Zeek form, told apart line by line ('#' headers, '{' objects)
//
// Files may be gzip'd (detected from the content) and "-" is stdin. A malformed line is
// counted in `report` with "file:line: reason" and skipped; only a file that cannot be opened
// or read (I/O error, corrupt gzip) or an unknown format fails the call. Not thread-safe per
// call; separate calls are independent.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "domain/ingest/report.h"
#include "domain/pdns/record.h"

namespace mamori::domain::pdns {

// What the report's `ignored` count is made of, for logs and tests.
struct ReadStats {
  int64_t nxdomain = 0;        // Zeek responses with rcode NXDOMAIN (nothing stored)
  int64_t no_answer = 0;       // Zeek responses without a usable answer (other rcodes, TXT, …)
  int64_t unknown_rrtype = 0;  // DNSDB lines whose rrtype is neither a mnemonic nor TYPEnnn
  int64_t headers = 0;         // Zeek '#' lines, DNSDB {"cond": …} lines, blank lines
  std::vector<std::string> examples;  // the first few "file:line: reason" of ignored lines
  static constexpr size_t kMaxExamples = 5;
};

// The formats above; kInvalidArgument naming the accepted ones otherwise.
Status CheckFormat(std::string_view format);

// Reads `path` ("-" = stdin). Sets report.file/format and adds to lines, records, malformed,
// ignored and errors. `stats` may be null.
Status ReadPdnsFile(const std::string& path, std::string_view format, ingest::IngestReport& report,
                    const RecordFn& fn, ReadStats* stats = nullptr,
                    const std::function<void(int64_t, int64_t)>& progress = nullptr);

}  // namespace mamori::domain::pdns
