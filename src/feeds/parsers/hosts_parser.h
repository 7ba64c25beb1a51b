// HostsParser: hosts-file blocklists, "0.0.0.0 evil.example other.example  # note"
// (docs/formats/hosts.md).
//
// Every name after the address is a domain entry; the address itself is only the sinkhole the
// list author chose and is not stored. The names every hosts file carries for the machine
// itself (localhost, broadcasthost, ip6-*, ...) are ignored. '#' starts a comment anywhere on a
// line, as in hosts(5). A line with an address but no name, or one that does not start with an
// address, is invalid. Owns a copy of its options; not thread-safe.
#pragma once

#include "feeds/parser.h"

namespace mamori::feeds::parsers {

class HostsParser : public FeedParser {
 public:
  explicit HostsParser(ParserOptions options) : options_(std::move(options)) {}
  Status Parse(std::string_view body, std::string_view origin, ParsedFeed& out) override;

 private:
  ParserOptions options_;
};

// True for the names a hosts file lists for the machine itself, never as a block entry.
bool IsLocalHostsName(std::string_view name);

}  // namespace mamori::feeds::parsers
