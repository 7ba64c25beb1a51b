/* remote_thread_injection — the textbook code injection (ATT&CK T1055.002 family): find
 * explorer.exe with CreateToolhelp32Snapshot, OpenProcess it, VirtualAllocEx + WriteProcessMemory
 * the code and its parameter, VirtualProtectEx the code to RX, and run it with
 * CreateRemoteThread. Banking trojans and RATs do this to hide inside a trusted process.
 *
 * Harmless: the injected code (common/inject.h) only calls OutputDebugStringA and writes
 * %TEMP%\mamori-sample\remote_thread.txt from inside explorer.exe, then its thread ends. */
#include "inject.h"

int main(void) {
  DWORD pid = inject_find_process("explorer.exe");
  if (!pid) {
    sample_log("remote_thread_injection: explorer.exe not found");
    return 1;
  }
  HANDLE process = OpenProcess(PROCESS_CREATE_THREAD | PROCESS_QUERY_INFORMATION |
                                   PROCESS_VM_OPERATION | PROCESS_VM_WRITE | PROCESS_VM_READ,
                               FALSE, pid);
  if (!process) return 2;

  InjectParam param;
  void *entry, *remote_param;
  if (!inject_make_param(&param, "remote_thread.txt",
                         "remote_thread_injection: hello from the injected thread\r\n") ||
      !inject_write(process, &param, &entry, &remote_param)) {
    CloseHandle(process);
    return 3;
  }
  HANDLE thread = CreateRemoteThread(process, NULL, 0, (LPTHREAD_START_ROUTINE)entry, remote_param,
                                     0, NULL);
  if (!thread) {
    CloseHandle(process);
    return 4;
  }
  WaitForSingleObject(thread, 10000);
  CloseHandle(thread);
  CloseHandle(process);
  return 0;
}
