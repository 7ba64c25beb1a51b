/* evasion_peb_beingdebugged — IsDebuggerPresent without the API call, so API hooks miss it: the
 * PEB from the TEB (fs:[0x30] on x86, gs:[0x60] on x64) and its BeingDebugged byte at offset 2
 * (al-khaser IsDebuggerPresentPEB, shellcode and packers). Payload only when it is 0. */
#include "evasion.h"

/* GCC 12 warns that the mingw intrinsics' segment read is "outside array bounds" (it sees
 * a zero-length array at address 0); the read itself is what the program is about. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
static const volatile BYTE *current_peb(void) {
#ifdef _WIN64
  return (const volatile BYTE *)__readgsqword(0x60);
#else
  return (const volatile BYTE *)__readfsdword(0x30);
#endif
}
#pragma GCC diagnostic pop

int main(void) {
  if (current_peb()[2] /* BeingDebugged */) {
    evasion_decoy("evasion_peb_beingdebugged");
  } else {
    evasion_payload("evasion_peb_beingdebugged");
  }
  return 0;
}
