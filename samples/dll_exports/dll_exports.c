/* dll_exports — a DLL sample: much malware ships as a DLL started by rundll32/regsvr32 or
 * side-loaded by a signed program (ATT&CK T1218.011, T1574.002), so the analysis must run
 * DllMain and then its exports.
 *
 * DllMain (process attach) writes dll_exports-attach.txt. Exports:
 *   MamoriStart()                       writes dll_exports-start.txt
 *   MamoriRunDll(hwnd, hinst, cmd, show) rundll32-style entry, writes dll_exports-rundll.txt
 *   MamoriAdd(a, b)                      returns a + b (no side effect)
 * Names are undecorated on x86 too (the build links with --kill-at). */
#include "sample.h"

BOOL WINAPI DllMain(HINSTANCE self, DWORD reason, LPVOID reserved) {
  if (reason == DLL_PROCESS_ATTACH) {
    sample_marker("dll_exports-attach.txt", "dll_exports: DllMain process attach\r\n");
  }
  return TRUE;
}

__declspec(dllexport) void __cdecl MamoriStart(void) {
  sample_marker("dll_exports-start.txt", "dll_exports: MamoriStart called\r\n");
}

__declspec(dllexport) void CALLBACK MamoriRunDll(HWND hwnd, HINSTANCE inst, LPSTR cmd_line,
                                                 int show) {
  sample_marker("dll_exports-rundll.txt", "dll_exports: MamoriRunDll called\r\n");
}

__declspec(dllexport) int __cdecl MamoriAdd(int a, int b) {
  return a + b;
}
