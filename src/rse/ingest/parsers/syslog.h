// Syslog lines: one header parser for both wire/file shapes, and the base of every parser whose
// lines arrive through syslog (sshd, postfix, kernel firewall). docs/formats/logs-syslog.md.
//
//   RFC 3164 / BSD:  [<PRI>]Mmm dd hh:mm:ss[.frac] [HOST] TAG: MSG   (as in /var/log/auth.log)
//                    [<PRI>]2024-01-01T00:00:00.123+01:00 HOST TAG: MSG   (rsyslog RFC 3339 files)
//   RFC 5424:        <PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD...]|- MSG
//
// TAG is "prog[pid]:", "prog:" or "[prog]:"; Solaris' "[ID 123 auth.info] " message prefix is
// dropped. A BSD date has no year: it is placed with ParserOptions::now and the New-Year rule of
// log_parser.h (YearlessTime in log_scan.h).
//
// One parser per reading thread (see log_parser.h). ParseSyslogHeader is stateless.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "rse/ingest/event.h"
#include "rse/ingest/log_parser.h"

namespace mamori::rse::ingest {

struct SyslogHeader {
  UnixMicros time = 0;          // 0 for RFC 5424's nil "-"
  int priority = -1;            // facility * 8 + severity; -1 when the line has no <PRI>
  std::string_view host;        // may be empty (local files of some daemons omit it)
  std::string_view program;     // "sshd", "postfix/smtpd"; empty when the line has no tag
  std::string_view pid;         // digits as written, may be empty
  std::string_view msgid;       // RFC 5424 only
  std::string_view structured;  // RFC 5424 structured data as written ("[a b=\"c\"]"), or empty
  std::string_view message;     // the rest of the line
};

// Parses the header of `line`; returns an empty string on success, else the malformed reason.
std::string_view ParseSyslogHeader(std::string_view line, UnixSeconds now, SyslogHeader& out);

// Sets time, host.name, process.name, process.pid, log.level (from the severity) and message.
void SetSyslogFields(const SyslogHeader& header, Event& event);

// Base of the parsers of one program's messages: parses the header, skips lines of other programs
// (an auth.log holds sshd, sudo, CRON... lines: only the wanted program's are events), and hands
// the message on. A subclass sets the event's category/action/outcome and addresses.
class SyslogProgramParser : public LogParser {
 public:
  SyslogProgramParser(std::string_view format, std::string_view dataset,
                      const ParserOptions& options);
  std::string_view format() const override { return format_; }
  ParseResult Parse(std::string_view line, Event& event) final;

 protected:
  // Whether lines of `program` belong to this format.
  virtual bool Accepts(std::string_view program) const = 0;
  // Reads the message; the syslog fields and event.dataset are already set.
  virtual ParseResult ParseMessage(const SyslogHeader& header, Event& event) = 0;

 private:
  std::string format_;
  std::string dataset_;
  UnixSeconds now_;
};

}  // namespace mamori::rse::ingest
