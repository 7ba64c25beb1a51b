/* evasion_computername — sandbox machine names: GetComputerNameA, then substrings ("SANDBOX",
 * "MALWARE", "VIRUS", "CUCKOO", "MALTEST", "ANALYSIS") and known sandbox hosts
 * ("TEQUILABOOMBOOM", "JOHN-PC", "7SILVIA", "HANSPETER-PC", "FORTINET") — pafish
 * gensandbox_common_names, al-khaser, Agent Tesla, Vidar. Payload only for another name. */
#include "evasion.h"

static const char *const kParts[] = {"SANDBOX", "MALWARE", "VIRUS", "CUCKOO", "MALTEST",
                                     "ANALYSIS"};
static const char *const kHosts[] = {"TEQUILABOOMBOOM", "JOHN-PC", "7SILVIA", "HANSPETER-PC",
                                     "FORTINET"};

static BOOL sandbox_host(void) {
  char name[MAX_COMPUTERNAME_LENGTH + 1];
  DWORD size = sizeof name;
  if (!GetComputerNameA(name, &size)) return FALSE;
  for (unsigned i = 0; i < sizeof kParts / sizeof kParts[0]; ++i) {
    if (evasion_contains(name, kParts[i])) return TRUE;
  }
  for (unsigned i = 0; i < sizeof kHosts / sizeof kHosts[0]; ++i) {
    if (lstrcmpiA(name, kHosts[i]) == 0) return TRUE;
  }
  return FALSE;
}

int main(void) {
  if (sandbox_host()) {
    evasion_decoy("evasion_computername");
  } else {
    evasion_payload("evasion_computername");
  }
  return 0;
}
