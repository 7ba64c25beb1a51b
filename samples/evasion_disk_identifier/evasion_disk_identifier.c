/* evasion_disk_identifier — the disk's SCSI identifier: HKLM\HARDWARE\DEVICEMAP\Scsi\Scsi Port 0\
 * Scsi Bus 0\Target Id 0\Logical Unit Id 0, value Identifier, is "VBOX HARDDISK", "VMware
 * Virtual disk", "QEMU HARDDISK" in a VM (pafish vbox_reg_key1 / vmware_reg_key1, al-khaser,
 * Dridex). Payload only for a physical-looking disk. */
#include "evasion.h"

static const char kScsiKey[] =
    "HARDWARE\\DEVICEMAP\\Scsi\\Scsi Port 0\\Scsi Bus 0\\Target Id 0\\Logical Unit Id 0";

static BOOL virtual_disk(void) {
  HKEY key;
  if (RegOpenKeyExA(HKEY_LOCAL_MACHINE, kScsiKey, 0, KEY_QUERY_VALUE, &key) != ERROR_SUCCESS) {
    return FALSE;
  }
  char identifier[256] = "";
  DWORD type = 0, size = sizeof identifier - 1;
  BOOL vm = FALSE;
  if (RegQueryValueExA(key, "Identifier", NULL, &type, (BYTE *)identifier, &size) ==
      ERROR_SUCCESS) {
    identifier[size < sizeof identifier ? size : sizeof identifier - 1] = '\0';
    vm = evasion_contains(identifier, "VBOX") || evasion_contains(identifier, "VMWARE") ||
         evasion_contains(identifier, "QEMU") || evasion_contains(identifier, "VIRTUAL");
  }
  RegCloseKey(key);
  return vm;
}

int main(void) {
  if (virtual_disk()) {
    evasion_decoy("evasion_disk_identifier");
  } else {
    evasion_payload("evasion_disk_identifier");
  }
  return 0;
}
