// Factories of the log parsers, one per format file under parsers/ (registered in registry.cc).
#pragma once

#include <memory>
#include <string_view>

#include "rse/ingest/log_parser.h"

namespace mamori::rse::ingest {

// --- access logs (parsers/access_log.cc) ---
// "nginx-combined"/"apache-combined" and "nginx-common"/"apache-common": one scanner, the format
// name and event.dataset ("nginx.access", "apache.access") passed in.
std::unique_ptr<LogParser> MakeCombinedLogParser(std::string_view format,
                                                 std::string_view dataset,
                                                 const ParserOptions& options);
std::unique_ptr<LogParser> MakeCommonLogParser(std::string_view format, std::string_view dataset,
                                               const ParserOptions& options);
std::unique_ptr<LogParser> MakeAccessJsonParser(const ParserOptions& options);
// --- syslog family ---
// syslog.cc, sshd.cc, postfix.cc, kernel_firewall.cc; web_error.cc (nginx and Apache error logs)
std::unique_ptr<LogParser> MakeSyslogParser(const ParserOptions& options);
std::unique_ptr<LogParser> MakeSyslogDispatchParser(const ParserOptions& options);  // syslog-auto
std::unique_ptr<LogParser> MakeSshdParser(const ParserOptions& options);
std::unique_ptr<LogParser> MakePostfixParser(const ParserOptions& options);
std::unique_ptr<LogParser> MakeKernelFirewallParser(const ParserOptions& options);
std::unique_ptr<LogParser> MakeNginxErrorParser(const ParserOptions& options);
std::unique_ptr<LogParser> MakeApacheErrorParser(const ParserOptions& options);
// --- JSON and TSV security logs ---
// (parsers/suricata_eve.cc, modsecurity.cc, zeek.cc, cef.cc, fortigate.cc, paloalto.cc)
std::unique_ptr<LogParser> MakeSuricataEveParser(const ParserOptions& options);
std::unique_ptr<LogParser> MakeModSecurityJsonParser(const ParserOptions& options);
enum class ZeekLog { kConn, kDns };
std::unique_ptr<LogParser> MakeZeekParser(ZeekLog log, const ParserOptions& options);
std::unique_ptr<LogParser> MakeCefParser(const ParserOptions& options);
std::unique_ptr<LogParser> MakeFortiGateParser(const ParserOptions& options);
std::unique_ptr<LogParser> MakePaloAltoParser(const ParserOptions& options);

}  // namespace mamori::rse::ingest
