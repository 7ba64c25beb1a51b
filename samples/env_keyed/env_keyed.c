/* env_keyed — a payload guarded by environment checks (ATT&CK T1480 execution guardrails and
 * T1497 sandbox evasion): it runs only on the intended victim (computer name MAMORI-LAB) and only
 * outside a VirtualBox VM (no VBoxService.exe / VBoxTray.exe process, no
 * HKLM\HARDWARE\ACPI\DSDT\VBOX__ key). Targeted implants and sandbox-aware loaders look like
 * this; a single-path analysis only ever sees the checks. Multi-path exploration has to force
 * the branch to reveal the payload.
 *
 * Payload (forced path only): mutex Local\mamori-env-keyed, a DNS lookup of
 * keyed.example.invalid, and the marker %TEMP%\mamori-sample\env_keyed.txt. Otherwise it writes
 * env_keyed.log saying the environment did not match. */
#include <winsock2.h>

#include "sample.h"

static BOOL in_virtualbox(void) {
  HKEY key;
  if (RegOpenKeyExA(HKEY_LOCAL_MACHINE, "HARDWARE\\ACPI\\DSDT\\VBOX__", 0, KEY_READ, &key) ==
      ERROR_SUCCESS) {
    RegCloseKey(key);
    return TRUE;
  }
  return sample_find_process("VBoxService.exe") || sample_find_process("VBoxTray.exe");
}

static BOOL is_target_host(void) {
  char name[MAX_COMPUTERNAME_LENGTH + 1];
  DWORD n = sizeof name;
  return GetComputerNameA(name, &n) && sample_name_equals(name, "MAMORI-LAB");
}

static void payload(void) {
  HANDLE mutex = CreateMutexA(NULL, FALSE, "Local\\mamori-env-keyed");
  WSADATA wsa;
  if (WSAStartup(MAKEWORD(2, 2), &wsa) == 0) {
    gethostbyname("keyed.example.invalid");
    WSACleanup();
  }
  sample_marker("env_keyed.txt", "env_keyed: environment matched, payload ran\r\n");
  if (mutex) CloseHandle(mutex);
}

int main(void) {
  BOOL target = is_target_host();
  BOOL vm = in_virtualbox();
  if (target && !vm) {
    payload();
  } else {
    sample_marker("env_keyed.log", "env_keyed: environment did not match, payload skipped\r\n");
  }
  return 0;
}
