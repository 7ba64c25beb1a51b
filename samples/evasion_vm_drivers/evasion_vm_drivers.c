/* evasion_vm_drivers — guest-additions drivers on disk: GetFileAttributesA of
 * C:\Windows\System32\drivers\VBoxMouse.sys, VBoxGuest.sys, VBoxSF.sys, VBoxVideo.sys (VirtualBox),
 * vmhgfs.sys, vmmouse.sys, vm3dmp.sys (VMware) — pafish vbox_sysfile1 / vmware_sysfile1,
 * al-khaser, and loaders from Emotet to Agent Tesla. Payload only when none exists. */
#include "evasion.h"

static const char *const kDrivers[] = {
    "C:\\Windows\\System32\\drivers\\VBoxMouse.sys",
    "C:\\Windows\\System32\\drivers\\VBoxGuest.sys",
    "C:\\Windows\\System32\\drivers\\VBoxSF.sys",
    "C:\\Windows\\System32\\drivers\\VBoxVideo.sys",
    "C:\\Windows\\System32\\drivers\\vmhgfs.sys",
    "C:\\Windows\\System32\\drivers\\vmmouse.sys",
    "C:\\Windows\\System32\\drivers\\vm3dmp.sys",
};

int main(void) {
  BOOL vm = FALSE;
  for (unsigned i = 0; i < sizeof kDrivers / sizeof kDrivers[0] && !vm; ++i) {
    vm = GetFileAttributesA(kDrivers[i]) != INVALID_FILE_ATTRIBUTES;
  }
  if (vm) {
    evasion_decoy("evasion_vm_drivers");
  } else {
    evasion_payload("evasion_vm_drivers");
  }
  return 0;
}
