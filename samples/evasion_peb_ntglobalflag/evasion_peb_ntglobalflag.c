/* evasion_peb_ntglobalflag — a process started by a debugger gets the debug-heap flags
 * FLG_HEAP_ENABLE_TAIL_CHECK | FLG_HEAP_ENABLE_FREE_CHECK | FLG_HEAP_VALIDATE_PARAMETERS (0x70)
 * in PEB.NtGlobalFlag (offset 0x68 on x86, 0xBC on x64) — al-khaser NtGlobalFlag, Zeus, many
 * packers. Payload only when none of the three is set. */
#include "evasion.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds" /* see evasion_peb_beingdebugged */
static const volatile BYTE *current_peb(void) {
#ifdef _WIN64
  return (const volatile BYTE *)__readgsqword(0x60);
#else
  return (const volatile BYTE *)__readfsdword(0x30);
#endif
}
#pragma GCC diagnostic pop

int main(void) {
#ifdef _WIN64
  DWORD flags = *(const volatile DWORD *)(current_peb() + 0xBC);
#else
  DWORD flags = *(const volatile DWORD *)(current_peb() + 0x68);
#endif
  if (flags & 0x70) {
    evasion_decoy("evasion_peb_ntglobalflag");
  } else {
    evasion_payload("evasion_peb_ntglobalflag");
  }
  return 0;
}
