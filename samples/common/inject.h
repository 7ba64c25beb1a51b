/* Shared parts of the process-injection samples: finding the target by name, the harmless
 * position-independent payload they inject, and copying it into the target.
 *
 * The payload only calls OutputDebugStringA and writes one marker file
 * (%TEMP%\mamori-sample\<technique>.txt); in a process the sample started itself it then ends
 * that process. It reaches those APIs through pointers the injector resolved in its own process,
 * as real injectors do: system DLLs are mapped at the same address in every process of a boot
 * session (an emulator has to give its emulated processes the same layout). */
#ifndef MAMORI_SAMPLE_INJECT_H_
#define MAMORI_SAMPLE_INJECT_H_

#include <windows.h>

#include "pe.h"
#include "sample.h"



typedef struct InjectParam {
  HANDLE(WINAPI *create_file)(LPCSTR, DWORD, DWORD, LPSECURITY_ATTRIBUTES, DWORD, DWORD, HANDLE);
  BOOL(WINAPI *write_file)(HANDLE, LPCVOID, DWORD, LPDWORD, LPOVERLAPPED);
  BOOL(WINAPI *close_handle)(HANDLE);
  VOID(WINAPI *output_debug_string)(LPCSTR);
  VOID(WINAPI *exit_process)(UINT); /* only set for a sacrificial process the sample started */
  DWORD text_len;
  char path[MAX_PATH];
  char text[128];
} InjectParam;

/* The injected code. It lives alone in the section ".inj" so the injector can copy exactly its
 * bytes, and it is position independent: it touches nothing but its parameter (no globals, no
 * string literals, no calls except through the parameter). Its signature fits a thread start
 * routine and an APC routine alike (one pointer-sized argument, stdcall on x86). */
__attribute__((section(".inj"), noinline, used)) static DWORD WINAPI inject_payload(LPVOID arg) {
  InjectParam *p = (InjectParam *)arg;
  p->output_debug_string(p->text);
  HANDLE h = p->create_file(p->path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                            FILE_ATTRIBUTE_NORMAL, NULL);
  if (h != INVALID_HANDLE_VALUE) {
    DWORD written;
    p->write_file(h, p->text, p->text_len, &written, NULL);
    p->close_handle(h);
  }
  if (p->exit_process) p->exit_process(0);
  return 0;
}

/* The bytes to inject and the offset of inject_payload within them. */
static unsigned char *inject_code(DWORD *size, DWORD *entry_offset) {
  unsigned char *code = pe_section(__ImageBase, ".inj", size);
  if (code) *entry_offset = (DWORD)((unsigned char *)inject_payload - code);
  return code;
}

/* The id of the first running process with this image name (case-insensitive), or 0. */
static DWORD inject_find_process(const char *image_name) {
  return sample_find_process(image_name);
}

/* Fills the payload's parameter: API pointers resolved here, the marker path and its text. */
static BOOL inject_make_param(InjectParam *p, const char *marker_leaf, const char *text) {
  HMODULE k32 = GetModuleHandleA("kernel32.dll");
  pe_zero(p, sizeof *p);
  p->create_file = (void *)GetProcAddress(k32, "CreateFileA");
  p->write_file = (void *)GetProcAddress(k32, "WriteFile");
  p->close_handle = (void *)GetProcAddress(k32, "CloseHandle");
  p->output_debug_string = (void *)GetProcAddress(k32, "OutputDebugStringA");
  if (!p->create_file || !p->write_file || !p->close_handle || !p->output_debug_string)
    return FALSE;
  if (!sample_path(p->path, sizeof p->path, marker_leaf)) return FALSE;
  lstrcpynA(p->text, text, sizeof p->text);
  p->text_len = (DWORD)lstrlenA(p->text);
  return TRUE;
}

/* Copies the payload and its parameter into the target: code into a new RW region that is then
 * made RX (VirtualAllocEx, WriteProcessMemory, VirtualProtectEx), the parameter into an RW
 * region. Returns the remote entry point and parameter. */
static BOOL inject_write(HANDLE process, const InjectParam *param, void **remote_entry,
                         void **remote_param) {
  DWORD code_size, entry_offset, old;
  unsigned char *code = inject_code(&code_size, &entry_offset);
  if (!code) return FALSE;
  unsigned char *rcode = VirtualAllocEx(process, NULL, code_size, MEM_COMMIT | MEM_RESERVE,
                                        PAGE_READWRITE);
  void *rparam = VirtualAllocEx(process, NULL, sizeof *param, MEM_COMMIT | MEM_RESERVE,
                                PAGE_READWRITE);
  if (!rcode || !rparam) return FALSE;
  if (!WriteProcessMemory(process, rcode, code, code_size, NULL) ||
      !WriteProcessMemory(process, rparam, param, sizeof *param, NULL) ||
      !VirtualProtectEx(process, rcode, code_size, PAGE_EXECUTE_READ, &old))
    return FALSE;
  *remote_entry = rcode + entry_offset;
  *remote_param = rparam;
  return TRUE;
}

#endif /* MAMORI_SAMPLE_INJECT_H_ */
