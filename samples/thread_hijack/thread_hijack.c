/* thread_hijack — thread execution hijacking (ATT&CK T1055.003): suspend a thread of another
 * process, read its registers with GetThreadContext, point its instruction pointer at injected
 * code with SetThreadContext, and resume it. No new thread is created, which is why loaders use
 * it to avoid CreateRemoteThread-based detection.
 *
 * Harmless: the victim is a notepad.exe this sample starts suspended itself, so no running
 * program is disturbed. The injected code (common/inject.h) writes
 * %TEMP%\mamori-sample\thread_hijack.txt and then ends that notepad with ExitProcess. The code
 * gets its argument the way a normal call would: in RCX on x64, on a small stack we prepare in
 * the target on x86 (the stack's return address is ExitThread, in case the code returns). */
#include "inject.h"
#include "spawn.h"

int main(void) {
  PROCESS_INFORMATION pi;
  if (!spawn_suspended_notepad(&pi)) return 1;
  int rc = 2;

  InjectParam param;
  void *entry, *remote_param;
  if (!inject_make_param(&param, "thread_hijack.txt", "thread_hijack: hello from a hijacked thread\r\n"))
    goto out;
  param.exit_process = (void *)GetProcAddress(GetModuleHandleA("kernel32.dll"), "ExitProcess");
  if (!inject_write(pi.hProcess, &param, &entry, &remote_param)) goto out;

  /* a stack for the hijacked code: [return address = ExitThread][argument (x86)] */
  const SIZE_T stack_size = 64 * 1024;
  unsigned char *stack = VirtualAllocEx(pi.hProcess, NULL, stack_size, MEM_COMMIT | MEM_RESERVE,
                                        PAGE_READWRITE);
  if (!stack) goto out;
  ULONG_PTR frame[2] = {
      (ULONG_PTR)GetProcAddress(GetModuleHandleA("kernel32.dll"), "ExitThread"),
      (ULONG_PTR)remote_param};
  unsigned char *sp = stack + stack_size - 0x100 - 8; /* 16-byte aligned minus the return slot */
  if (!WriteProcessMemory(pi.hProcess, sp, frame, sizeof frame, NULL)) goto out;

  /* suspend, get, set, resume */
  SuspendThread(pi.hThread);
  CONTEXT ctx;
  ZeroMemory(&ctx, sizeof ctx);
  ctx.ContextFlags = CONTEXT_FULL;
  if (!GetThreadContext(pi.hThread, &ctx)) goto out;
#ifdef _WIN64
  ctx.Rip = (DWORD64)entry;
  ctx.Rsp = (DWORD64)sp;
  ctx.Rcx = (DWORD64)remote_param;
#else
  ctx.Eip = (DWORD)entry;
  ctx.Esp = (DWORD)sp;
#endif
  if (!SetThreadContext(pi.hThread, &ctx)) goto out;
  ResumeThread(pi.hThread); /* our SuspendThread */
  ResumeThread(pi.hThread); /* CREATE_SUSPENDED */
  rc = WaitForSingleObject(pi.hProcess, 10000) == WAIT_OBJECT_0 ? 0 : 3;

out:
  if (rc != 0) TerminateProcess(pi.hProcess, 1); /* only the notepad we started */
  CloseHandle(pi.hThread);
  CloseHandle(pi.hProcess);
  return rc;
}
