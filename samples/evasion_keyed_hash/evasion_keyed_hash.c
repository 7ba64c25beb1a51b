/* evasion_keyed_hash — an environment-keyed payload (ATT&CK T1480.001): it runs only on the
 * computer whose upper-cased name hashes (32-bit FNV-1a) to 0x191d747c — "FIN-WS-0042", a name
 * the binary never contains in clear, as targeted implants (Gauss, APT41's keyed loaders)
 * compare hashes. No ordinary machine passes, the default environment included: only a
 * multi-path explorer that forces the comparison reveals the payload. */
#include "evasion.h"

#define TARGET_HOST_HASH 0x191d747cu /* FNV-1a("FIN-WS-0042") */

int main(void) {
  char name[MAX_COMPUTERNAME_LENGTH + 1];
  DWORD size = sizeof name;
  if (GetComputerNameA(name, &size) && evasion_fnv1a_upper(name) == TARGET_HOST_HASH) {
    evasion_payload("evasion_keyed_hash");
  } else {
    evasion_decoy("evasion_keyed_hash");
  }
  return 0;
}
