/* evasion_sandbox_modules — DLLs sandboxes and security tools inject into every process:
 * GetModuleHandleA of SbieDll.dll (Sandboxie), cmdvrt32.dll / cmdvrt64.dll (Comodo), SxIn.dll
 * (Qihoo 360), snxhk.dll (Avast), cuckoomon.dll (Cuckoo), api_log.dll / dir_watch.dll
 * (Sunbelt/GFI), avghookx.dll / avghooka.dll (AVG), pstorec.dll, wpespy.dll — pafish
 * gensandbox_sandboxie, al-khaser loaded_dlls. Payload only when none is loaded. */
#include "evasion.h"

static const char *const kModules[] = {
    "SbieDll.dll",  "cmdvrt32.dll",  "cmdvrt64.dll",  "SxIn.dll",   "snxhk.dll",  "cuckoomon.dll",
    "api_log.dll",  "dir_watch.dll", "avghookx.dll",  "avghooka.dll", "pstorec.dll", "wpespy.dll",
};

int main(void) {
  BOOL sandbox = FALSE;
  for (unsigned i = 0; i < sizeof kModules / sizeof kModules[0] && !sandbox; ++i) {
    sandbox = GetModuleHandleA(kModules[i]) != NULL;
  }
  if (sandbox) {
    evasion_decoy("evasion_sandbox_modules");
  } else {
    evasion_payload("evasion_sandbox_modules");
  }
  return 0;
}
