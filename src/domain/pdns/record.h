// PdnsRecord: one passive DNS observation as a reader hands it over (normalised, not yet
// aggregated), and the normalisation rules every reader shares (docs/formats/passive-dns.md,
// "Normalisation"). Readers reuse one PdnsRecord; a callback that keeps it must copy it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/error.h"

namespace mamori::domain::pdns {

struct PdnsRecord {
  std::string name;  // lower case, A-labels, no trailing dot (core/domain_name.h rules)
  uint16_t rrtype = 0;
  std::string rdata;  // see NormalizeRdata
  UnixSeconds first_seen = 0;
  UnixSeconds last_seen = 0;
  int64_t count = 0;
};

using RecordFn = std::function<void(const PdnsRecord&)>;

// Sets `out` to the normalised owner name; on failure returns the reason ("rrname: …").
// `field` names the input field in the reason.
Status NormalizeName(std::string_view text, std::string_view field, std::string& out);

// Sets `out` to the normalised rdata of type `rrtype`:
//   A / AAAA: the address in canonical text (core/ip.h); an address of the other family fails;
//   CNAME, NS, PTR, DNAME: the target name as NormalizeName;
//   MX: the exchange name without its preference ("10 mx.example.com." → "mx.example.com");
//       the null MX "0 ." (RFC 7505) is kept as ".";
//   anything else: the presentation text as given, surrounding blanks trimmed.
Status NormalizeRdata(uint16_t rrtype, std::string_view text, std::string& out);

}  // namespace mamori::domain::pdns
