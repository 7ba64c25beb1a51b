/* evasion_cpuid_vendor — the hypervisor vendor leaf: CPUID 0x40000000 returns the hypervisor's
 * signature in EBX:ECX:EDX ("VBoxVBoxVBox", "VMwareVMware", "Microsoft Hv", "KVMKVMKVM",
 * "XenVMMXenVMM", "prl hyperv  ", QEMU's "TCGTCGTCGTCG"), as pafish cpu_known_vm_vendors and
 * al-khaser check. Payload only when none of them is there. */
#include "evasion.h"
#include <cpuid.h>

static const char *const kVendors[] = {"VBoxVBoxVBox", "VMwareVMware", "Microsoft Hv",
                                       "KVMKVMKVM",    "XenVMMXenVMM", "prl hyperv  ",
                                       "TCGTCGTCGTCG", "bhyve bhyve "};

static BOOL known_hypervisor(void) {
  unsigned eax, regs[3];
  char vendor[13];
  __cpuid(0x40000000, eax, regs[0], regs[1], regs[2]);
  CopyMemory(vendor, regs, 12);
  vendor[12] = '\0';
  for (unsigned i = 0; i < sizeof kVendors / sizeof kVendors[0]; ++i) {
    if (lstrcmpA(vendor, kVendors[i]) == 0) return TRUE;
  }
  return FALSE;
}

int main(void) {
  if (known_hypervisor()) {
    evasion_decoy("evasion_cpuid_vendor");
  } else {
    evasion_payload("evasion_cpuid_vendor");
  }
  return 0;
}
