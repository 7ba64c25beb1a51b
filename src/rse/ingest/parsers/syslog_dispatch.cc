// syslog-auto: one syslog stream carrying many programs' messages (what a syslog listener or
// /var/log/syslog receives), each line routed to the parser of its program or shape:
//   program sshd                          → sshd
//   program postfix/… or postfix-…        → postfix
//   program kernel                        → kernel-firewall (LOG lines; others are skipped)
//   message starting "CEF:"               → cef
//   message with logid= and devname=      → fortigate
//   message with ",TRAFFIC," / ",THREAT," → paloalto
//   anything else                         → syslog (header and message only)
// The chosen parser reads the whole line (each parses its own header); the header is parsed
// once more here to choose, which costs about a tenth of a typical line's parse.
// docs/formats/logs-syslog.md ("syslog-auto").
#include <ctime>
#include <memory>

#include "rse/ingest/parsers/parsers.h"
#include "rse/ingest/parsers/syslog.h"

namespace mamori::rse::ingest {
namespace {

class SyslogDispatchParser final : public LogParser {
 public:
  explicit SyslogDispatchParser(const ParserOptions& options)
      // As SyslogProgramParser: no reading time given means now.
      : now_(options.now != 0 ? options.now : std::time(nullptr)),
        syslog_(MakeSyslogParser(options)),
        sshd_(MakeSshdParser(options)),
        postfix_(MakePostfixParser(options)),
        kernel_(MakeKernelFirewallParser(options)),
        cef_(MakeCefParser(options)),
        fortigate_(MakeFortiGateParser(options)),
        paloalto_(MakePaloAltoParser(options)) {}

  std::string_view format() const override { return "syslog-auto"; }

  ParseResult Parse(std::string_view line, Event& event) override {
    return Choose(line).Parse(line, event);
  }

 private:
  LogParser& Choose(std::string_view line) {
    SyslogHeader header;
    if (!ParseSyslogHeader(line, now_, header).empty()) {
      // No syslog header: CEF and firewall key=value lines also arrive bare.
      return ByMessage(line);
    }
    std::string_view program = header.program;
    if (program == "sshd") return *sshd_;
    if (program.starts_with("postfix/") || program.starts_with("postfix-")) return *postfix_;
    if (program == "kernel") return *kernel_;
    return ByMessage(header.message);
  }

  LogParser& ByMessage(std::string_view message) {
    if (message.starts_with("CEF:")) return *cef_;
    if (message.find("logid=") != std::string_view::npos &&
        message.find("devname=") != std::string_view::npos) {
      return *fortigate_;
    }
    if (message.find(",TRAFFIC,") != std::string_view::npos ||
        message.find(",THREAT,") != std::string_view::npos) {
      return *paloalto_;
    }
    return *syslog_;
  }

  UnixSeconds now_;
  std::unique_ptr<LogParser> syslog_, sshd_, postfix_, kernel_, cef_, fortigate_, paloalto_;
};

}  // namespace

std::unique_ptr<LogParser> MakeSyslogDispatchParser(const ParserOptions& options) {
  return std::make_unique<SyslogDispatchParser>(options);
}

}  // namespace mamori::rse::ingest
