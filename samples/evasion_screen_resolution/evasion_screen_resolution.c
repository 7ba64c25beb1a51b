/* evasion_screen_resolution — sandbox VMs keep the default 800x600 or 1024x768 screen:
 * GetSystemMetrics(SM_CXSCREEN / SM_CYSCREEN) under 1024x768 means a sandbox (al-khaser
 * screen_resolution, Formbook, Kovter). Payload only on a larger screen. */
#include "evasion.h"

int main(void) {
  int width = GetSystemMetrics(SM_CXSCREEN);
  int height = GetSystemMetrics(SM_CYSCREEN);
  if (width < 1024 || height < 768) {
    evasion_decoy("evasion_screen_resolution");
  } else {
    evasion_payload("evasion_screen_resolution");
  }
  return 0;
}
