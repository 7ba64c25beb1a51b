// Netfilter LOG / nftables `log` lines as the kernel writes them to syslog (kern.log, ufw.log):
//   "... kernel: [123.456] PREFIX IN=eth0 OUT= MAC=... SRC=1.2.3.4 DST=5.6.7.8 ... PROTO=TCP
//    SPT=1234 DPT=22 ..."
// The PREFIX (the admin's --log-prefix) is rule.name; event.action comes from its words (drop,
// reject, accept and synonyms), "drop" when it names none. Kernel lines without IN= are not
// firewall lines and are skipped. docs/formats/logs-syslog.md.
#include "rse/ingest/parsers/log_scan.h"
#include "rse/ingest/parsers/parsers.h"
#include "rse/ingest/parsers/syslog.h"

namespace mamori::rse::ingest {
namespace {

// The verdict a log prefix names ("[UFW BLOCK]", "nft drop ssh", "INPUT-ACCEPT"). A LOG rule
// usually sits just before the rule that drops, so a prefix naming no verdict means "drop".
std::string_view ActionOf(std::string_view prefix) {
  for (std::string_view w : {"reject", "rejected"}) {
    if (scan::ContainsWordNoCase(prefix, w)) return "reject";
  }
  for (std::string_view w : {"accept", "accepted", "allow", "allowed", "pass", "passed"}) {
    if (scan::ContainsWordNoCase(prefix, w)) return "accept";
  }
  return "drop";  // drop, dropped, deny, denied, block, blocked, or nothing
}

std::string_view Transport(std::string_view proto) {
  if (proto == "TCP") return "tcp";
  if (proto == "UDP") return "udp";
  if (proto == "ICMP") return "icmp";
  if (proto == "ICMPv6") return "ipv6-icmp";
  if (proto == "UDPLITE") return "udplite";
  if (proto == "SCTP") return "sctp";
  return proto;  // numeric protocols are logged as numbers
}

class KernelFirewallParser final : public SyslogProgramParser {
 public:
  explicit KernelFirewallParser(const ParserOptions& options)
      : SyslogProgramParser("kernel-firewall", "netfilter", options) {}

 protected:
  bool Accepts(std::string_view program) const override { return program == "kernel"; }

  ParseResult ParseMessage(const SyslogHeader& header, Event& e) override {
    std::string_view msg = header.message;
    // "[ 1234.567890] " uptime stamp, when the kernel's printk time is on.
    if (msg.starts_with('[')) {
      size_t close = msg.find("] ");
      if (close != std::string_view::npos && close < 24) msg = msg.substr(close + 2);
    }
    size_t in = msg.starts_with("IN=") ? 0 : msg.find(" IN=");
    if (in == std::string_view::npos) return ParseResult::Skip();  // not a packet log line
    std::string_view prefix = scan::TrimRight(msg.substr(0, in));
    scan::Cursor c{msg, in == 0 ? 0 : in + 1};
    std::string_view src, dst;
    while (!c.AtEnd()) {
      c.SkipSpaces();
      std::string_view kv = c.Token();
      size_t eq = kv.find('=');
      if (eq == std::string_view::npos) continue;  // flags: SYN, DF, ACK ...
      std::string_view key = kv.substr(0, eq), value = kv.substr(eq + 1);
      if (value.empty()) continue;
      if (key == "SRC") {
        src = value;
      } else if (key == "DST") {
        dst = value;
      } else if (key == "SPT") {
        e.Set(Field::kSourcePort, value);
      } else if (key == "DPT") {
        e.Set(Field::kDestinationPort, value);
      } else if (key == "PROTO") {
        e.Set(Field::kNetworkTransport, Transport(value));
      } else if (key == "LEN" && !e.Has(Field::kNetworkBytes)) {
        e.Set(Field::kNetworkBytes, value);  // the first LEN= is the IP packet's length
      }
    }
    if (!scan::LooksLikeIp(src)) return ParseResult::Malformed("firewall line without SRC=");
    e.Set(Field::kSourceIp, src);
    if (scan::LooksLikeIp(dst)) e.Set(Field::kDestinationIp, dst);
    e.Set(Field::kRuleName, prefix);
    e.Set(Field::kEventCategory, "network");
    e.Set(Field::kEventAction, ActionOf(prefix));
    e.Set(Field::kObserverProduct, "netfilter");
    e.Set(Field::kObserverName, header.host);
    e.Set(Field::kMessage, msg);
    return ParseResult::Ok();
  }
};

}  // namespace

std::unique_ptr<LogParser> MakeKernelFirewallParser(const ParserOptions& options) {
  return std::make_unique<KernelFirewallParser>(options);
}

}  // namespace mamori::rse::ingest
