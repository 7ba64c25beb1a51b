/* evasion_vm_software_registry — guest tools installed in the VM leave their uninstall keys:
 * HKLM\SOFTWARE\Oracle\VirtualBox Guest Additions, HKLM\SOFTWARE\VMware, Inc.\VMware Tools,
 * HKLM\SOFTWARE\Wine (pafish vbox_reg_key7, vmware_reg_key1, wine_reg_key1; al-khaser).
 * Payload only when none exists. */
#include "evasion.h"

static const char *const kKeys[] = {
    "SOFTWARE\\Oracle\\VirtualBox Guest Additions",
    "SOFTWARE\\VMware, Inc.\\VMware Tools",
    "SOFTWARE\\Wine",
};

int main(void) {
  BOOL vm = FALSE;
  for (unsigned i = 0; i < sizeof kKeys / sizeof kKeys[0] && !vm; ++i) {
    HKEY key;
    if (RegOpenKeyExA(HKEY_LOCAL_MACHINE, kKeys[i], 0, KEY_READ, &key) == ERROR_SUCCESS) {
      RegCloseKey(key);
      vm = TRUE;
    }
  }
  if (vm) {
    evasion_decoy("evasion_vm_software_registry");
  } else {
    evasion_payload("evasion_vm_software_registry");
  }
  return 0;
}
