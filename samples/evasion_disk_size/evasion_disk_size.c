/* evasion_disk_size — sandbox disks are small: GetDiskFreeSpaceExA of C:\, a total size under
 * 80 GB means a sandbox (al-khaser disk_size_getdiskfreespace, pafish
 * gensandbox_drive_size2 with 60 GB). Payload only on a bigger disk. */
#include "evasion.h"

int main(void) {
  ULARGE_INTEGER available, total, free_bytes;
  BOOL small = GetDiskFreeSpaceExA("C:\\", &available, &total, &free_bytes) &&
               total.QuadPart < 80ull * 1000 * 1000 * 1000;
  if (small) {
    evasion_decoy("evasion_disk_size");
  } else {
    evasion_payload("evasion_disk_size");
  }
  return 0;
}
