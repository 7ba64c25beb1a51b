/* evasion_vm_services — guest-tools services by name: OpenSCManagerA, then OpenServiceA of
 * VBoxService, VBoxGuest, VBoxMouse, VBoxSF (VirtualBox), VMTools, vmhgfs, vmci, vm3dservice
 * (VMware) — al-khaser's service checks, Ursnif, Hancitor. It only opens them for status.
 * Payload only when none exists. */
#include "evasion.h"

static const char *const kServices[] = {"VBoxService", "VBoxGuest", "VBoxMouse", "VBoxSF",
                                        "VMTools",     "vmhgfs",    "vmci",      "vm3dservice"};

static BOOL vm_service(void) {
  SC_HANDLE manager = OpenSCManagerA(NULL, NULL, SC_MANAGER_CONNECT);
  if (!manager) return FALSE;
  BOOL found = FALSE;
  for (unsigned i = 0; i < sizeof kServices / sizeof kServices[0] && !found; ++i) {
    SC_HANDLE service = OpenServiceA(manager, kServices[i], SERVICE_QUERY_STATUS);
    if (service) {
      CloseServiceHandle(service);
      found = TRUE;
    }
  }
  CloseServiceHandle(manager);
  return found;
}

int main(void) {
  if (vm_service()) {
    evasion_decoy("evasion_vm_services");
  } else {
    evasion_payload("evasion_vm_services");
  }
  return 0;
}
