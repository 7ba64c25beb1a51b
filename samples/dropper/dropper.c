/* dropper — a first stage that carries its payload inside itself, writes it to disk and runs
 * it, the classic shape of malspam droppers (ATT&CK T1105 / T1204 follow-ups).
 *
 * The payload is dropper_child.<arch>.exe (dropper/child.c), embedded at build time as a byte
 * array with the assembler's .incbin. The dropper writes it to %TEMP%\mamori-sample\child.exe,
 * starts it with CreateProcessA and waits for it. The child only writes a marker file. */
#include "sample.h"

#ifdef _WIN64
#define SYM(x) #x
#define CHILD_FILE "dropper_child.x64.exe"
#else
#define SYM(x) "_" #x /* x86 C symbols carry a leading underscore */
#define CHILD_FILE "dropper_child.x86.exe"
#endif

/* The embedded child: child_image .. child_image_end in .rdata. */
__asm__(".section .rdata,\"dr\"\n"
        ".balign 16\n"
        ".globl " SYM(child_image) "\n" SYM(child_image) ":\n"
        ".incbin \"" CHILD_FILE "\"\n"
        ".globl " SYM(child_image_end) "\n" SYM(child_image_end) ":\n"
        ".text\n");
extern const unsigned char child_image[], child_image_end[];

int main(void) {
  char path[MAX_PATH];
  if (!sample_path(path, sizeof path, "child.exe")) return 1;

  /* drop */
  DWORD size = (DWORD)(child_image_end - child_image);
  if (!sample_write_file(path, child_image, size)) return 2;

  /* execute */
  STARTUPINFOA si;
  PROCESS_INFORMATION pi;
  ZeroMemory(&si, sizeof si);
  si.cb = sizeof si;
  if (!CreateProcessA(path, NULL, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) return 3;
  WaitForSingleObject(pi.hProcess, 10000);
  CloseHandle(pi.hThread);
  CloseHandle(pi.hProcess);
  sample_log("dropper: child started");
  return 0;
}
