/* evasion_remote_debugger — CheckRemoteDebuggerPresent on its own process (a wrapper of
 * NtQueryInformationProcess(ProcessDebugPort) that hooks on IsDebuggerPresent miss): al-khaser,
 * Ursnif, Hancitor. Payload only without a debugger. */
#include "evasion.h"

int main(void) {
  BOOL present = FALSE;
  if (CheckRemoteDebuggerPresent(GetCurrentProcess(), &present) && present) {
    evasion_decoy("evasion_remote_debugger");
  } else {
    evasion_payload("evasion_remote_debugger");
  }
  return 0;
}
