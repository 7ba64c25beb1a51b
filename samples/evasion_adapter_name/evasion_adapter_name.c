/* evasion_adapter_name — virtual network cards by name: GetAdaptersAddresses, then each
 * adapter's Description against "VirtualBox", "VMware", "vmxnet", "Hyper-V", "Red Hat VirtIO",
 * "QEMU" (al-khaser vmware_adapter_name, Kronos, Trickbot's sandbox module). Payload only when
 * no adapter is virtual. */
#include "evasion.h"
#include <iphlpapi.h>

static const char *const kNames[] = {"VirtualBox", "VMware", "vmxnet", "Hyper-V",
                                     "VirtIO",     "QEMU"};

static BOOL virtual_adapter(void) {
  ULONG size = 16 * 1024;
  IP_ADAPTER_ADDRESSES *adapters = HeapAlloc(GetProcessHeap(), 0, size);
  if (!adapters) return FALSE;
  BOOL found = FALSE;
  if (GetAdaptersAddresses(AF_UNSPEC, GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST, NULL,
                           adapters, &size) == NO_ERROR) {
    for (IP_ADAPTER_ADDRESSES *a = adapters; a && !found; a = a->Next) {
      char description[256];
      if (!a->Description ||
          !WideCharToMultiByte(CP_ACP, 0, a->Description, -1, description, sizeof description,
                               NULL, NULL)) {
        continue;
      }
      for (unsigned i = 0; i < sizeof kNames / sizeof kNames[0] && !found; ++i) {
        found = evasion_contains(description, kNames[i]);
      }
    }
  }
  HeapFree(GetProcessHeap(), 0, adapters);
  return found;
}

int main(void) {
  if (virtual_adapter()) {
    evasion_decoy("evasion_adapter_name");
  } else {
    evasion_payload("evasion_adapter_name");
  }
  return 0;
}
