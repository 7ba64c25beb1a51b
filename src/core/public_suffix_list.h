// The Public Suffix List the whole program uses: one libpsl context, loaded once — the newer of
// libpsl's built-in list and the system file (/usr/share/publicsuffix, Debian `publicsuffix`) —
// and read-only afterwards, so safe to share between threads. DomainName (core/domain_name.h)
// answers registered domains and public suffixes from it; code that asks libpsl directly for
// speed (the passive-DNS registered-domain cache, the categorizer's private-suffix check) uses
// this same context so every answer agrees.
#pragma once

#include <libpsl.h>

namespace mamori {

const psl_ctx_t* PublicSuffixList();

}  // namespace mamori
