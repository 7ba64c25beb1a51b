/* evasion_service_list — the same idea through the full list: EnumServicesStatusA over every
 * Win32 service and driver, each name and display name checked for "vbox", "vmware", "vmtools",
 * "xen", "qemu" (al-khaser's WMI-less service walk, Kovter, some Emotet loaders). Payload only
 * when no service looks virtual. */
#include "evasion.h"

static const char *const kNames[] = {"vbox", "vmware", "vmtools", "xenservice", "qemu"};

static BOOL vm_service_listed(void) {
  SC_HANDLE manager = OpenSCManagerA(NULL, NULL, SC_MANAGER_ENUMERATE_SERVICE);
  if (!manager) return FALSE;
  DWORD needed = 0, count = 0, resume = 0;
  /* First call with no buffer: ERROR_MORE_DATA and the size needed. */
  EnumServicesStatusA(manager, SERVICE_WIN32 | SERVICE_DRIVER, SERVICE_STATE_ALL, NULL, 0,
                      &needed, &count, &resume);
  BOOL found = FALSE;
  if (needed > 0 && needed < (1u << 20)) {
    ENUM_SERVICE_STATUSA *services = HeapAlloc(GetProcessHeap(), 0, needed);
    resume = 0;
    if (services && EnumServicesStatusA(manager, SERVICE_WIN32 | SERVICE_DRIVER,
                                        SERVICE_STATE_ALL, services, needed, &needed, &count,
                                        &resume)) {
      for (DWORD i = 0; i < count && !found; ++i) {
        for (unsigned n = 0; n < sizeof kNames / sizeof kNames[0] && !found; ++n) {
          found = (services[i].lpServiceName && evasion_contains(services[i].lpServiceName,
                                                                 kNames[n])) ||
                  (services[i].lpDisplayName && evasion_contains(services[i].lpDisplayName,
                                                                 kNames[n]));
        }
      }
    }
    if (services) HeapFree(GetProcessHeap(), 0, services);
  }
  CloseServiceHandle(manager);
  return found;
}

int main(void) {
  if (vm_service_listed()) {
    evasion_decoy("evasion_service_list");
  } else {
    evasion_payload("evasion_service_list");
  }
  return 0;
}
