/* dll_dropper — drops a DLL and loads it into its own process (the loader stage of many malware
 * families, and the first half of DLL side-loading, ATT&CK T1574.002): writes the embedded
 * dll_dropper_payload.<arch>.dll to %TEMP%\mamori-sample\helper.dll, LoadLibraryA (which runs
 * its DllMain), GetProcAddress("run_payload") and calls it.
 *
 * Harmless: the DLL only writes two marker files below %TEMP%\mamori-sample\. */
#include "sample.h"

#ifdef _WIN64
#define SYM(x) #x
#define PAYLOAD_FILE "dll_dropper_payload.x64.dll"
#else
#define SYM(x) "_" #x
#define PAYLOAD_FILE "dll_dropper_payload.x86.dll"
#endif

__asm__(".section .rdata,\"dr\"\n"
        ".balign 16\n"
        ".globl " SYM(payload_dll) "\n" SYM(payload_dll) ":\n"
        ".incbin \"" PAYLOAD_FILE "\"\n"
        ".globl " SYM(payload_dll_end) "\n" SYM(payload_dll_end) ":\n"
        ".text\n");
extern const unsigned char payload_dll[], payload_dll_end[];

int main(void) {
  char path[MAX_PATH];
  if (!sample_path(path, sizeof path, "helper.dll")) return 1;
  if (!sample_write_file(path, payload_dll, (DWORD)(payload_dll_end - payload_dll))) return 2;
  HMODULE dll = LoadLibraryA(path);
  if (!dll) return 3;
  typedef int (*RunPayload)(void);
  RunPayload run = (RunPayload)(void *)GetProcAddress(dll, "run_payload");
  if (!run) return 4;
  return run() == 42 ? 0 : 5;
}
