/* evasion_vbox_devices — device objects of the guest drivers: CreateFileA of \\.\VBoxMiniRdrDN
 * (shared folders), \\.\VBoxGuest, \\.\VBoxTrayIPC, \\.\pipe\VBoxTrayIPC (VirtualBox),
 * \\.\HGFS and \\.\vmci (VMware) — pafish vbox_devices / vmware_devices, al-khaser. Opening
 * with no access right is enough to prove the device exists. Payload only when none opens. */
#include "evasion.h"

static const char *const kDevices[] = {
    "\\\\.\\VBoxMiniRdrDN", "\\\\.\\VBoxGuest", "\\\\.\\VBoxTrayIPC",
    "\\\\.\\pipe\\VBoxTrayIPC", "\\\\.\\HGFS", "\\\\.\\vmci",
};

int main(void) {
  BOOL vm = FALSE;
  for (unsigned i = 0; i < sizeof kDevices / sizeof kDevices[0] && !vm; ++i) {
    HANDLE h = CreateFileA(kDevices[i], 0, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h != INVALID_HANDLE_VALUE) {
      CloseHandle(h);
      vm = TRUE;
    }
  }
  if (vm) {
    evasion_decoy("evasion_vbox_devices");
  } else {
    evasion_payload("evasion_vbox_devices");
  }
  return 0;
}
