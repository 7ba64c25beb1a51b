/* evasion_ntqip_debugport — the kernel's view: NtQueryInformationProcess(ProcessDebugPort = 7),
 * resolved from ntdll with GetProcAddress as malware does (it is not in the import libraries);
 * a non-zero port means a user-mode debugger is attached (al-khaser NtQueryInformationProcess_
 * ProcessDebugPort, Dridex, TrickBot). Payload only when the port is 0. */
#include "evasion.h"

typedef LONG(WINAPI *NtQueryInformationProcessFn)(HANDLE, ULONG, PVOID, ULONG, PULONG);

static BOOL debug_port_set(void) {
  HMODULE ntdll = GetModuleHandleA("ntdll.dll");
  if (!ntdll) return FALSE;
  NtQueryInformationProcessFn query =
      (NtQueryInformationProcessFn)GetProcAddress(ntdll, "NtQueryInformationProcess");
  if (!query) return FALSE;
  DWORD_PTR port = 0;
  LONG status = query(GetCurrentProcess(), 7 /* ProcessDebugPort */, &port, sizeof port, NULL);
  return status >= 0 && port != 0;
}

int main(void) {
  if (debug_port_set()) {
    evasion_decoy("evasion_ntqip_debugport");
  } else {
    evasion_payload("evasion_ntqip_debugport");
  }
  return 0;
}
