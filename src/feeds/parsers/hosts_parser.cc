#include "feeds/parsers/hosts_parser.h"

#include <array>

#include "core/ip.h"
#include "feeds/parsers/entry_sink.h"
#include "feeds/parsers/line_scanner.h"

namespace mamori::feeds::parsers {

namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] + 32) : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

}  // namespace

bool IsLocalHostsName(std::string_view name) {
  // The entries Debian, Red Hat and macOS ship in /etc/hosts, which blocklists built from a
  // hosts file keep at the top.
  static constexpr std::array<std::string_view, 9> kLocal = {"localhost",
                                                             "localhost.localdomain",
                                                             "local",
                                                             "localhost4",
                                                             "localhost4.localdomain4",
                                                             "localhost6",
                                                             "localhost6.localdomain6",
                                                             "broadcasthost",
                                                             "0.0.0.0"};
  for (std::string_view local : kLocal) {
    if (EqualsIgnoreCase(name, local)) return true;
  }
  return name.size() > 4 && EqualsIgnoreCase(name.substr(0, 4), "ip6-");
}

Status HostsParser::Parse(std::string_view body, std::string_view origin, ParsedFeed& out) {
  EntrySink sink(options_, out, {IndicatorType::kDomain});
  sink.Reserve(LineScanner::CountLines(body));
  ForEachContentLine(body, out.report, [&](std::string_view content, size_t line) {
    std::string_view rest = content.substr(0, content.find('#'));
    std::string_view address = NextToken(rest);
    // macOS lists "fe80::1%lo0 localhost": the zone index is not part of the address.
    if (!IpAddress::Parse(address.substr(0, address.find('%')))) {
      sink.Invalid(line, "a hosts line must start with an IP address", content);
      return;
    }
    bool any_name = false;
    bool any_listed = false;
    for (std::string_view name = NextToken(rest); !name.empty(); name = NextToken(rest)) {
      any_name = true;
      if (IsLocalHostsName(name)) continue;
      any_listed = true;
      sink.Add(line, name, content);
    }
    if (!any_name) {
      sink.Invalid(line, "a hosts line needs a name after the address", content);
    } else if (!any_listed) {
      sink.Skipped();  // "127.0.0.1 localhost" and friends
    }
  });
  return Ok();
}

}  // namespace mamori::feeds::parsers
