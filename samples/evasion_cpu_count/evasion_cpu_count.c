/* evasion_cpu_count — sandboxes run with one virtual CPU: GetSystemInfo dwNumberOfProcessors
 * under 2 means a sandbox (pafish gensandbox_one_cpu_GetSystemInfo, al-khaser, Dyre, Emotet).
 * Payload only with 2 or more CPUs. */
#include "evasion.h"

int main(void) {
  SYSTEM_INFO info;
  GetSystemInfo(&info);
  if (info.dwNumberOfProcessors < 2) {
    evasion_decoy("evasion_cpu_count");
  } else {
    evasion_payload("evasion_cpu_count");
  }
  return 0;
}
