/* evasion_two_checks — two different checks, both must pass: at least 4 GiB of RAM
 * (GlobalMemoryStatusEx, hardware) and no VirtualBox mouse driver
 * C:\Windows\System32\drivers\VBoxMouse.sys (GetFileAttributesA, files), the way loaders chain
 * their checks. Payload only when both pass; either one failing is enough to hide it. */
#include "evasion.h"

static BOOL enough_memory(void) {
  MEMORYSTATUSEX status;
  status.dwLength = sizeof status;
  return GlobalMemoryStatusEx(&status) && status.ullTotalPhys >= (4ull << 30);
}

static BOOL no_vbox_driver(void) {
  return GetFileAttributesA("C:\\Windows\\System32\\drivers\\VBoxMouse.sys") ==
         INVALID_FILE_ATTRIBUTES;
}

int main(void) {
  BOOL memory_ok = enough_memory();
  BOOL driver_ok = no_vbox_driver();
  if (memory_ok && driver_ok) {
    evasion_payload("evasion_two_checks");
  } else {
    evasion_decoy("evasion_two_checks");
  }
  return 0;
}
