/* evasion_vbox_window — VBoxTray.exe's hidden window: FindWindowA by its class
 * "VBoxTrayToolWndClass" and by its title "VBoxTrayToolWnd" (pafish vbox_window, al-khaser,
 * GootKit). Payload only when neither exists. */
#include "evasion.h"

int main(void) {
  BOOL vm = FindWindowA("VBoxTrayToolWndClass", NULL) != NULL ||
            FindWindowA(NULL, "VBoxTrayToolWnd") != NULL;
  if (vm) {
    evasion_decoy("evasion_vbox_window");
  } else {
    evasion_payload("evasion_vbox_window");
  }
  return 0;
}
