/* evasion_memory_size — sandboxes are given little memory: GlobalMemoryStatusEx, total physical
 * memory under 4 GiB means a sandbox (al-khaser memory_space, pafish gensandbox_less_than_onegb
 * with 1 GiB, Emotet, Trickbot). Payload only with 4 GiB or more. */
#include "evasion.h"

int main(void) {
  MEMORYSTATUSEX status;
  status.dwLength = sizeof status;
  BOOL small = GlobalMemoryStatusEx(&status) && status.ullTotalPhys < (4ull << 30);
  if (small) {
    evasion_decoy("evasion_memory_size");
  } else {
    evasion_payload("evasion_memory_size");
  }
  return 0;
}
