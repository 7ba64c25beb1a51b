/* evasion_uptime — a freshly booted machine is a sandbox: GetTickCount (milliseconds since
 * boot) under 10 minutes means the VM was just restored from a snapshot for this sample (pafish
 * gensandbox_uptime uses 12 min; many loaders 10). Payload only after 10 minutes of uptime. */
#include "evasion.h"

int main(void) {
  if (GetTickCount() < 10 * 60 * 1000) {
    evasion_decoy("evasion_uptime");
  } else {
    evasion_payload("evasion_uptime");
  }
  return 0;
}
