/* evasion_cpuid_hypervisor — the "hypervisor present" bit: CPUID leaf 1 ECX bit 31 is set by
 * every hypervisor for its guests and clear on bare metal (pafish cpu_hv, al-khaser; GuLoader
 * and many loaders test it first). Payload only when the bit is clear. */
#include "evasion.h"
#include <cpuid.h>

static BOOL hypervisor_bit(void) {
  unsigned eax, ebx, ecx, edx;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return FALSE;
  return (ecx >> 31) & 1;
}

int main(void) {
  if (hypervisor_bit()) {
    evasion_decoy("evasion_cpuid_hypervisor");
  } else {
    evasion_payload("evasion_cpuid_hypervisor");
  }
  return 0;
}
