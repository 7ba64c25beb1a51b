// STIX 2.1 patterning: the subset a blocklist can express, and an honest account of the rest.
//
// A blocklist entry means "any traffic or file matching this value is bad", so a pattern maps
// to entries only when it is a disjunction of single-value tests:
//   [domain-name:value = 'evil.example']
//   [ipv4-addr:value = '198.51.100.0/24' OR ipv4-addr:value = '203.0.113.7']
//   [url:value = 'http://evil.example/x'] OR [file:hashes.'SHA-256' = '...']
//   [ipv6-addr:value IN ('2001:db8::1', '2001:db8::2')]
//   [ipv4-addr:value ISSUBSET '198.51.100.0/24']
// on domain-name, ipv4-addr, ipv6-addr, url values and file MD5/SHA-1/SHA-256 hashes. Each
// alternative we cannot express (AND, FOLLOWEDBY, qualifiers, NOT, EXISTS, LIKE, MATCHES,
// comparisons, other object paths, non-string constants) is reported with a reason, so callers
// count it as unsupported instead of dropping it; an AND or FOLLOWEDBY is one alternative, since
// none of its parts is bad on its own.
//
// The whole grammar is tokenized and parsed (STIX 2.1 section 9), so a syntax error is told
// apart from a valid pattern we do not support. Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "feeds/parsers/entry_sink.h"

namespace mamori::feeds::parsers {

struct StixTerm {
  std::string path;   // normalized object path, e.g. "file:hashes.SHA-256"
  std::string value;  // the string constant, escapes undone
  TypeSet types;      // what the value may normalize to (ipv4-addr: ipv4 or cidr)
};

struct StixPatternResult {
  std::vector<StixTerm> terms;           // alternatives that are blocklist entries
  std::vector<std::string> unsupported;  // "unsupported pattern: ...", one per alternative
  std::vector<std::string> invalid;      // alternatives with a value impossible for its path
};

// Errors (kInvalidArgument) are syntax errors: the text is not a STIX pattern.
Expected<StixPatternResult> ParseStixPattern(std::string_view pattern);

}  // namespace mamori::feeds::parsers
