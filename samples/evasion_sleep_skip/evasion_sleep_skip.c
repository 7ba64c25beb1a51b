/* evasion_sleep_skip — detects sandboxes that fast-forward Sleep: GetTickCount before and after
 * Sleep(2000) must differ by about 2 s (pafish gensandbox_sleep_patched, Locky, Dridex). A
 * sandbox that skips the sleep without moving its clock shows < 1.9 s. Payload only when the
 * clock moved. */
#include "evasion.h"

static BOOL sleep_patched(void) {
  DWORD before = GetTickCount();
  Sleep(2000);
  DWORD elapsed = GetTickCount() - before;
  return elapsed < 1900;
}

int main(void) {
  if (sleep_patched()) {
    evasion_decoy("evasion_sleep_skip");
  } else {
    evasion_payload("evasion_sleep_skip");
  }
  return 0;
}
