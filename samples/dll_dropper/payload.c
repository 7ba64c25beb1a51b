/* The DLL that dll_dropper writes to disk and loads (built as dll_dropper_payload.<arch>.dll).
 * DllMain writes one marker on DLL_PROCESS_ATTACH; the exported run_payload writes another and
 * returns 42 — so a report shows both the loader's call and the sample's call into the DLL. */
#include "sample.h"

BOOL WINAPI DllMain(HINSTANCE self, DWORD reason, LPVOID reserved) {
  if (reason == DLL_PROCESS_ATTACH) sample_marker("dll_dropper_main.txt", "dll_dropper: DllMain ran\r\n");
  return TRUE;
}

__declspec(dllexport) int run_payload(void) {
  sample_marker("dll_dropper_export.txt", "dll_dropper: run_payload ran\r\n");
  return 42;
}
