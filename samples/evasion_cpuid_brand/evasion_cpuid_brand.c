/* evasion_cpuid_brand — the processor brand string (CPUID 0x80000002..4): emulators and some
 * hypervisors report "QEMU Virtual CPU", "Common KVM processor", "Virtual CPU" instead of a real
 * model name (al-khaser cpu checks, Kovter). Payload only for a real-looking brand. */
#include "evasion.h"
#include <cpuid.h>

static const char *const kVirtualBrands[] = {"QEMU", "KVM", "Virtual CPU", "VirtualBox",
                                             "VMware", "Bochs"};

static BOOL virtual_brand(void) {
  unsigned regs[12];
  char brand[49];
  if (__get_cpuid_max(0x80000000, NULL) < 0x80000004) return FALSE;
  for (unsigned leaf = 0; leaf < 3; ++leaf) {
    __cpuid(0x80000002 + leaf, regs[leaf * 4], regs[leaf * 4 + 1], regs[leaf * 4 + 2],
            regs[leaf * 4 + 3]);
  }
  CopyMemory(brand, regs, 48);
  brand[48] = '\0';
  for (unsigned i = 0; i < sizeof kVirtualBrands / sizeof kVirtualBrands[0]; ++i) {
    if (evasion_contains(brand, kVirtualBrands[i])) return TRUE;
  }
  return FALSE;
}

int main(void) {
  if (virtual_brand()) {
    evasion_decoy("evasion_cpuid_brand");
  } else {
    evasion_payload("evasion_cpuid_brand");
  }
  return 0;
}
