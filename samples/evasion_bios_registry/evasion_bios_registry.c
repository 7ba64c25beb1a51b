/* evasion_bios_registry — BIOS strings in the registry: HKLM\HARDWARE\DESCRIPTION\System
 * SystemBiosVersion (REG_MULTI_SZ, "VBOX   - 1", "BOCHS -", "QEMU") and VideoBiosVersion
 * ("...VirtualBox..."), and HKLM\HARDWARE\DESCRIPTION\System\BIOS SystemProductName
 * ("VirtualBox", "VMware Virtual Platform") — pafish vbox_reg_key1/2, al-khaser, Emotet-era
 * loaders. Payload only when no value names a virtual machine. */
#include "evasion.h"

static const char *const kMarkers[] = {"VBOX", "VIRTUALBOX", "VMWARE", "QEMU", "BOCHS",
                                       "VIRTUAL MACHINE"};

/* TRUE when the value exists and holds one of kMarkers (any string of a REG_MULTI_SZ). */
static BOOL value_names_vm(const char *subkey, const char *value) {
  HKEY key;
  if (RegOpenKeyExA(HKEY_LOCAL_MACHINE, subkey, 0, KEY_READ, &key) != ERROR_SUCCESS) return FALSE;
  BYTE data[512];
  DWORD type = 0, size = sizeof data;
  BOOL found = FALSE;
  if (RegQueryValueExA(key, value, NULL, &type, data, &size) == ERROR_SUCCESS) {
    for (unsigned i = 0; i < sizeof kMarkers / sizeof kMarkers[0] && !found; ++i) {
      found = evasion_memfind(data, size, kMarkers[i]);
    }
  }
  RegCloseKey(key);
  return found;
}

int main(void) {
  BOOL vm = value_names_vm("HARDWARE\\DESCRIPTION\\System", "SystemBiosVersion") ||
            value_names_vm("HARDWARE\\DESCRIPTION\\System", "VideoBiosVersion") ||
            value_names_vm("HARDWARE\\DESCRIPTION\\System\\BIOS", "SystemProductName");
  if (vm) {
    evasion_decoy("evasion_bios_registry");
  } else {
    evasion_payload("evasion_bios_registry");
  }
  return 0;
}
