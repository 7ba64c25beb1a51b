// The table of log formats. Each parser lives in its own file under parsers/ and exposes a
// factory in parsers/parsers.h; add it here with its name, description and doc page.
#include <fmt/format.h>

#include <functional>

#include "rse/ingest/log_parser.h"
#include "rse/ingest/parsers/parsers.h"

namespace mamori::rse::ingest {
namespace {

struct Entry {
  LogFormatInfo info;
  std::function<std::unique_ptr<LogParser>(const ParserOptions&)> make;
};

const std::vector<Entry>& Registry() {
  static const std::vector<Entry> entries = {
      // --- access logs (parsers/access_log.cc) ---
      {{"nginx-combined", "nginx access log, combined format (default log_format)",
        "docs/formats/logs-access.md"},
       [](const ParserOptions& o) {
         return MakeCombinedLogParser("nginx-combined", "nginx.access", o);
       }},
      {{"apache-combined", "Apache access log, combined format (same shape as nginx-combined)",
        "docs/formats/logs-access.md"},
       [](const ParserOptions& o) {
         return MakeCombinedLogParser("apache-combined", "apache.access", o);
       }},
      {{"nginx-common", "nginx access log, common log format (no referrer/user agent)",
        "docs/formats/logs-access.md"},
       [](const ParserOptions& o) {
         return MakeCommonLogParser("nginx-common", "nginx.access", o);
       }},
      {{"apache-common", "Apache access log, common log format", "docs/formats/logs-access.md"},
       [](const ParserOptions& o) {
         return MakeCommonLogParser("apache-common", "apache.access", o);
       }},
      {{"access-json", "JSON access log lines (nginx log_format escape=json, or ECS names)",
        "docs/formats/logs-access.md"},
       MakeAccessJsonParser},
      // --- syslog family (parsers/syslog*.cc, auth, kernel firewall, CEF, key=value) ---
      {{"syslog", "any syslog line (RFC 3164, RFC 5424, RFC 3339 files): header and message",
        "docs/formats/logs-syslog.md"},
       MakeSyslogParser},
      {{"syslog-auto",
        "mixed syslog stream: each line to its program's parser (sshd, postfix, kernel, CEF...)",
        "docs/formats/logs-syslog.md"},
       MakeSyslogDispatchParser},
      {{"sshd", "OpenSSH server messages from auth.log/secure/journal text (logins, probes)",
        "docs/formats/logs-syslog.md"},
       MakeSshdParser},
      {{"postfix", "Postfix smtpd/postscreen: SASL failures, rejects, protocol violations",
        "docs/formats/logs-syslog.md"},
       MakePostfixParser},
      {{"kernel-firewall", "iptables/nftables LOG lines from kern.log (SRC=, DST=, DPT=...)",
        "docs/formats/logs-syslog.md"},
       MakeKernelFirewallParser},
      {{"nginx-error", "nginx error log: basic-auth failures, limit_req, denials",
        "docs/formats/logs-web-errors.md"},
       MakeNginxErrorParser},
      {{"apache-error", "Apache 2.2/2.4 error log: auth failures, denials",
        "docs/formats/logs-web-errors.md"},
       MakeApacheErrorParser},
      // --- JSON and TSV security logs (Suricata, ModSecurity, Zeek; CEF, FortiGate, PAN-OS) ---
      {{"suricata-eve", "Suricata EVE JSON (alert, dns, http, tls, flow...)",
        "docs/formats/logs-suricata.md"},
       MakeSuricataEveParser},
      {{"zeek-conn", "Zeek conn.log (TSV with header, or JSON)", "docs/formats/logs-zeek.md"},
       [](const ParserOptions& o) { return MakeZeekParser(ZeekLog::kConn, o); }},
      {{"zeek-dns", "Zeek dns.log (TSV with header, or JSON)", "docs/formats/logs-zeek.md"},
       [](const ParserOptions& o) { return MakeZeekParser(ZeekLog::kDns, o); }},
      {{"modsecurity-json", "ModSecurity v3 JSON audit log (one transaction per line)",
        "docs/formats/logs-modsecurity.md"},
       MakeModSecurityJsonParser},
      {{"cef", "ArcSight CEF, bare or behind a syslog header", "docs/formats/logs-cef-kv.md"},
       MakeCefParser},
      {{"fortigate", "FortiGate (FortiOS) key=value syslog", "docs/formats/logs-cef-kv.md"},
       MakeFortiGateParser},
      {{"paloalto", "Palo Alto PAN-OS syslog, TRAFFIC and THREAT CSV",
        "docs/formats/logs-cef-kv.md"},
       MakePaloAltoParser},
  };
  return entries;
}

}  // namespace

const std::vector<LogFormatInfo>& LogFormats() {
  static const std::vector<LogFormatInfo> infos = [] {
    std::vector<LogFormatInfo> out;
    for (const Entry& e : Registry()) out.push_back(e.info);
    return out;
  }();
  return infos;
}

Expected<std::unique_ptr<LogParser>> MakeLogParser(std::string_view format,
                                                   const ParserOptions& options) {
  std::string known;
  for (const Entry& e : Registry()) {
    if (e.info.name == format) return e.make(options);
    known += known.empty() ? "" : ", ";
    known += e.info.name;
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   fmt::format("unknown log format; known formats: {}", known),
                   std::string(format));
}

}  // namespace mamori::rse::ingest
