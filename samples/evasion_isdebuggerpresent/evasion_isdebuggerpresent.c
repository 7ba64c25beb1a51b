/* evasion_isdebuggerpresent — the simplest anti-debug check: IsDebuggerPresent (al-khaser,
 * countless families). Payload only without a debugger. */
#include "evasion.h"

int main(void) {
  if (IsDebuggerPresent()) {
    evasion_decoy("evasion_isdebuggerpresent");
  } else {
    evasion_payload("evasion_isdebuggerpresent");
  }
  return 0;
}
