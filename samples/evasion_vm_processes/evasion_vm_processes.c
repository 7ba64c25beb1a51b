/* evasion_vm_processes — guest-tools processes in a Toolhelp32 snapshot: VBoxService.exe,
 * VBoxTray.exe (VirtualBox), vmtoolsd.exe, vmwaretray.exe, vmwareuser.exe (VMware),
 * vmsrvc.exe, vmusrvc.exe (Virtual PC), prl_tools.exe (Parallels), xenservice.exe,
 * qemu-ga.exe — one walk of the list compared against all names, as pafish and al-khaser do.
 * Payload only when none runs. */
#include "evasion.h"

static const char *const kProcesses[] = {
    "vboxservice.exe", "vboxtray.exe", "vmtoolsd.exe",  "vmwaretray.exe", "vmwareuser.exe",
    "vmsrvc.exe",      "vmusrvc.exe",  "prl_tools.exe", "xenservice.exe", "qemu-ga.exe",
};

static BOOL vm_process_running(void) {
  HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
  if (snap == INVALID_HANDLE_VALUE) return FALSE;
  PROCESSENTRY32 entry;
  entry.dwSize = sizeof entry;
  BOOL found = FALSE;
  for (BOOL ok = Process32First(snap, &entry); ok && !found; ok = Process32Next(snap, &entry)) {
    for (unsigned i = 0; i < sizeof kProcesses / sizeof kProcesses[0]; ++i) {
      if (lstrcmpiA(entry.szExeFile, kProcesses[i]) == 0) found = TRUE;
    }
  }
  CloseHandle(snap);
  return found;
}

int main(void) {
  if (vm_process_running()) {
    evasion_decoy("evasion_vm_processes");
  } else {
    evasion_payload("evasion_vm_processes");
  }
  return 0;
}
