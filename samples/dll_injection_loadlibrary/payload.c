/* The DLL that dll_injection_loadlibrary makes explorer.exe load (built as
 * dll_injection_payload.<arch>.dll). On load it writes a marker file naming the process it
 * landed in, then refuses to stay: DllMain returns FALSE, so the loader unloads it at once. */
#include "sample.h"

BOOL WINAPI DllMain(HINSTANCE self, DWORD reason, LPVOID reserved) {
  if (reason != DLL_PROCESS_ATTACH) return TRUE;
  char host[MAX_PATH], text[MAX_PATH + 64];
  if (!GetModuleFileNameA(NULL, host, sizeof host)) lstrcpyA(host, "?");
  lstrcpyA(text, "dll_injection_payload: loaded into ");
  lstrcatA(text, host);
  lstrcatA(text, "\r\n");
  sample_log(text);
  sample_marker("dll_injection.txt", text);
  return FALSE; /* do not stay loaded */
}
