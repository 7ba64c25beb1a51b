/* evasion_rdtsc — VM-exit latency: CPUID always traps to the hypervisor, so RDTSC deltas around
 * it are thousands of cycles in a VM and a few hundred on bare metal (pafish
 * rdtsc_diff_vmexit, al-khaser). Averaged over 10 rounds; payload only when the mean is below
 * 1000 cycles. */
#include "evasion.h"
#include <cpuid.h>
#include <x86intrin.h>

static BOOL slow_cpuid(void) {
  unsigned long long total = 0;
  for (int i = 0; i < 10; ++i) {
    unsigned eax, ebx, ecx, edx;
    unsigned long long before = __rdtsc();
    __cpuid(0, eax, ebx, ecx, edx); /* asm volatile: never optimised away */
    unsigned long long after = __rdtsc();
    total += after - before;
  }
  return total / 10 > 1000;
}

int main(void) {
  if (slow_cpuid()) {
    evasion_decoy("evasion_rdtsc");
  } else {
    evasion_payload("evasion_rdtsc");
  }
  return 0;
}
