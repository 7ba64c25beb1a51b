/* evasion_vbox_registry — VirtualBox's ACPI tables: its BIOS names them "VBOX__", and Windows
 * mirrors them under HKLM\HARDWARE\ACPI\{DSDT,FADT,RSDT}\VBOX__ (pafish vbox_reg_key3..5,
 * al-khaser; many loaders open exactly these keys). Payload only when none exists. */
#include "evasion.h"

static const char *const kKeys[] = {
    "HARDWARE\\ACPI\\DSDT\\VBOX__",
    "HARDWARE\\ACPI\\FADT\\VBOX__",
    "HARDWARE\\ACPI\\RSDT\\VBOX__",
};

static BOOL vbox_acpi_key(void) {
  for (unsigned i = 0; i < sizeof kKeys / sizeof kKeys[0]; ++i) {
    HKEY key;
    if (RegOpenKeyExA(HKEY_LOCAL_MACHINE, kKeys[i], 0, KEY_READ, &key) == ERROR_SUCCESS) {
      RegCloseKey(key);
      return TRUE;
    }
  }
  return FALSE;
}

int main(void) {
  if (vbox_acpi_key()) {
    evasion_decoy("evasion_vbox_registry");
  } else {
    evasion_payload("evasion_vbox_registry");
  }
  return 0;
}
