/* evasion_vm_guest_files — the guest tools' installation: the folders
 * C:\Program Files\Oracle\VirtualBox Guest Additions and C:\Program Files\VMware\VMware Tools,
 * and VirtualBox's user-mode DLLs in System32 (vboxdisp.dll, vboxhook.dll, vboxogl.dll), found
 * with FindFirstFileA as al-khaser's and pafish's file checks do. Payload only when none exists. */
#include "evasion.h"

static const char *const kPaths[] = {
    "C:\\Program Files\\Oracle\\VirtualBox Guest Additions",
    "C:\\Program Files\\VMware\\VMware Tools",
    "C:\\Windows\\System32\\vboxdisp.dll",
    "C:\\Windows\\System32\\vboxhook.dll",
    "C:\\Windows\\System32\\vboxogl.dll",
};

int main(void) {
  BOOL vm = FALSE;
  for (unsigned i = 0; i < sizeof kPaths / sizeof kPaths[0] && !vm; ++i) {
    WIN32_FIND_DATAA found;
    HANDLE h = FindFirstFileA(kPaths[i], &found);
    if (h != INVALID_HANDLE_VALUE) {
      FindClose(h);
      vm = TRUE;
    }
  }
  if (vm) {
    evasion_decoy("evasion_vm_guest_files");
  } else {
    evasion_payload("evasion_vm_guest_files");
  }
  return 0;
}
