/* evasion_disk_ioctl — the physical disk's size straight from the driver: CreateFileA of
 * \\.\PhysicalDrive0 and DeviceIoControl(IOCTL_DISK_GET_LENGTH_INFO); under 80 GB means a
 * sandbox (pafish gensandbox_drive_size, al-khaser disk_size_deviceiocontrol). It only reads
 * the length. When the disk cannot be opened (no administrator rights) the check is skipped,
 * as those tools do. Payload only on a bigger disk. */
#include "evasion.h"
#include <winioctl.h>

static BOOL small_disk(void) {
  HANDLE disk = CreateFileA("\\\\.\\PhysicalDrive0", GENERIC_READ,
                            FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
  if (disk == INVALID_HANDLE_VALUE) return FALSE;
  GET_LENGTH_INFORMATION length;
  DWORD returned = 0;
  BOOL small = DeviceIoControl(disk, IOCTL_DISK_GET_LENGTH_INFO, NULL, 0, &length, sizeof length,
                               &returned, NULL) &&
               returned >= sizeof length &&
               length.Length.QuadPart < 80ll * 1000 * 1000 * 1000;
  CloseHandle(disk);
  return small;
}

int main(void) {
  if (small_disk()) {
    evasion_decoy("evasion_disk_ioctl");
  } else {
    evasion_payload("evasion_disk_ioctl");
  }
  return 0;
}
