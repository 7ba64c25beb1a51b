/* evasion_domain_joined — enterprise targeting: GetComputerNameExA(ComputerNameDnsDomain) and the
 * payload only on a machine joined to a domain (non-empty DNS domain), as ransomware loaders
 * and post-exploitation stagers check before spreading; sandboxes and home PCs are
 * workgroup machines. The default environment is not joined, so only forcing the check
 * reveals the payload. */
#include "evasion.h"

int main(void) {
  char domain[256] = "";
  DWORD size = sizeof domain;
  if (GetComputerNameExA(ComputerNameDnsDomain, domain, &size) && size > 0 && domain[0]) {
    evasion_payload("evasion_domain_joined");
  } else {
    evasion_decoy("evasion_domain_joined");
  }
  return 0;
}
