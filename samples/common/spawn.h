/* Starting a sacrificial notepad.exe, suspended, for the samples that take over a process they
 * started themselves (thread_hijack, process_hollowing). */
#ifndef MAMORI_SAMPLE_SPAWN_H_
#define MAMORI_SAMPLE_SPAWN_H_

#include <windows.h>

/* CreateProcessA(%SystemRoot%\System32\notepad.exe, CREATE_SUSPENDED). On 64-bit Windows an x86
 * sample gets the 32-bit notepad (System32 is redirected to SysWOW64). */
static BOOL spawn_suspended_notepad(PROCESS_INFORMATION *pi) {
  char path[MAX_PATH];
  UINT n = GetSystemDirectoryA(path, MAX_PATH - 16);
  if (n == 0 || n >= MAX_PATH - 16) return FALSE;
  lstrcatA(path, "\\notepad.exe");
  STARTUPINFOA si;
  ZeroMemory(&si, sizeof si);
  si.cb = sizeof si;
  return CreateProcessA(path, NULL, NULL, NULL, FALSE, CREATE_SUSPENDED, NULL, NULL, &si, pi);
}

#endif /* MAMORI_SAMPLE_SPAWN_H_ */
