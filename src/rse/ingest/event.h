// Event: one log line normalized into Elastic Common Schema fields, the input of every detection
// rule (rse/detect) and of log sightings (store).
//
// An Event holds string views, not strings: parsers point them into the line itself or into a
// per-parser scratch arena (for unescaped JSON strings, decoded URLs...), so parsing a line
// allocates nothing once the arena is warm — the 500,000 lines/s figure of issue 8 depends on it.
// The views stay valid until the parser's next Parse() call or until the line's buffer changes;
// whoever keeps an event longer (a detection's evidence) copies what it needs (OwnedEvent).
//
// Fields are a fixed set (Field), addressed by index, so a compiled rule looks a field up in
// O(1); FieldFromName() maps the ECS dotted names used in rules ("source.ip") to it. A field is
// absent when its view is empty. Values are kept as the log wrote them (status "401", port
// "22"); source/destination addresses are additionally parsed once (SourceAddress()).
//
// Not thread-safe; one Event per parsing thread, reused line after line (Clear()).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/ip.h"

namespace mamori::rse::ingest {

// Microseconds since the Unix epoch (UTC). Logs with sub-second times keep them; 0 = unknown.
using UnixMicros = int64_t;

// ECS fields we normalize into. Order is stable (rules compile to these indexes); add new
// fields before kCount and to kFieldNames in event.cc.
enum class Field : uint8_t {
  kSourceIp,                 // source.ip
  kSourcePort,               // source.port
  kDestinationIp,            // destination.ip
  kDestinationPort,          // destination.port
  kNetworkTransport,         // network.transport: tcp, udp, icmp
  kNetworkProtocol,          // network.protocol: http, dns, tls, ssh ...
  kUrlOriginal,              // url.original: request target as logged ("/a?b=c")
  kUrlDomain,                // url.domain (Host header, when logged)
  kHttpRequestMethod,        // http.request.method
  kHttpRequestReferrer,      // http.request.referrer
  kHttpResponseStatusCode,   // http.response.status_code
  kHttpResponseBodyBytes,    // http.response.body.bytes
  kHttpVersion,              // http.version
  kUserAgentOriginal,        // user_agent.original
  kUserName,                 // user.name
  kEventAction,              // event.action: what happened ("ssh_login", "drop", "alert")
  kEventOutcome,             // event.outcome: success, failure, unknown
  kEventCategory,            // event.category: authentication, network, web, intrusion_detection
  kEventSeverity,            // event.severity (numeric, as the device gives it)
  kEventDataset,             // event.dataset: the format that produced it ("nginx.access")
  kRuleId,                   // rule.id (IDS/WAF signature id)
  kRuleName,                 // rule.name (signature message)
  kRuleCategory,             // rule.category
  kObserverVendor,           // observer.vendor
  kObserverProduct,          // observer.product
  kObserverName,             // observer.name (host name of the device)
  kHostName,                 // host.name (the host that logged, e.g. syslog hostname)
  kProcessName,              // process.name (syslog program, "sshd")
  kProcessPid,               // process.pid
  kDnsQuestionName,          // dns.question.name
  kDnsQuestionType,          // dns.question.type: A, AAAA ...
  kDnsResponseCode,          // dns.response_code: NOERROR, NXDOMAIN ...
  kTlsServerName,            // tls.client.server_name (SNI)
  kNetworkBytes,             // network.bytes
  kLogLevel,                 // log.level
  kMessage,                  // message: the free-text part (syslog message, alert text)
  kCount
};
inline constexpr size_t kFieldCount = static_cast<size_t>(Field::kCount);

std::string_view FieldName(Field field);  // "source.ip"
std::optional<Field> FieldFromName(std::string_view name);

class Event {
 public:
  void Clear();

  void Set(Field field, std::string_view value) { values_[Index(field)] = value; }
  std::string_view Get(Field field) const { return values_[Index(field)]; }
  bool Has(Field field) const { return !values_[Index(field)].empty(); }

  UnixMicros time = 0;    // when it happened, as the log says; 0 = unknown
  std::string_view raw;   // the whole line as read

  // source.ip / destination.ip parsed (cached on first use); nullopt when absent or not an IP.
  const std::optional<IpAddress>& SourceAddress() const;
  const std::optional<IpAddress>& DestinationAddress() const;

  // Present fields in Field order, as (name, value): for JSON output and evidence.
  std::vector<std::pair<std::string_view, std::string_view>> Fields() const;

 private:
  static size_t Index(Field field) { return static_cast<size_t>(field); }
  std::array<std::string_view, kFieldCount> values_{};
  mutable std::optional<std::optional<IpAddress>> source_address_;
  mutable std::optional<std::optional<IpAddress>> destination_address_;
};

// An Event copied out of the parser's buffers, for keeping (detections' evidence, tests).
struct OwnedEvent {
  UnixMicros time = 0;
  std::string raw;
  std::vector<std::pair<Field, std::string>> fields;

  static OwnedEvent From(const Event& event);
};

// Scratch memory for values a parser has to rewrite (JSON unescaping, URL decoding): fixed-size
// blocks that never move, so views into earlier values stay valid while later ones are added.
// Reset() before each line reuses the blocks: no allocation in the steady state.
class Arena {
 public:
  // Copies `text` into the arena and returns a view of the copy.
  std::string_view Store(std::string_view text);
  // Room for `size` bytes to write into, then Commit(written) to get the view.
  char* Reserve(size_t size);
  std::string_view Commit(size_t written);
  void Reset();

 private:
  static constexpr size_t kBlockSize = 64 * 1024;
  std::vector<std::string> blocks_;  // each sized at creation and never resized
  size_t block_ = 0;                 // current block
  size_t used_ = 0;                  // bytes used in it
  char* reserved_ = nullptr;
};

// "1.2.3.4" → cached IpAddress helper shared by Event: parses and strips IPv6 brackets/zone.
std::optional<IpAddress> ParseEventAddress(std::string_view text);

// Civil time → micros (UTC), for parsers: year, month 1-12, day, hh, mm, ss, micros, offset in
// seconds east of UTC. Returns 0 when out of range.
UnixMicros CivilToMicros(int year, int month, int day, int hour, int minute, int second,
                         int micros = 0, int utc_offset_seconds = 0);

}  // namespace mamori::rse::ingest
