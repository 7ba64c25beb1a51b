/* evasion_username — the user names sandboxes and analysts log in with: GetUserNameA against a
 * list ("sandbox", "malware", "virus", "sample", "currentuser", "John Doe", "Peter Wilson",
 * "cuckoo", "maltest", "WDAGUtilityAccount", ...) — pafish gensandbox_username, al-khaser, and
 * the lists in Agent Tesla, Raccoon and Formbook. Payload (beacon over WinINet) only for another
 * name. */
#define EVASION_BEACON_HTTP
#include "evasion.h"

static const char *const kSandboxUsers[] = {
    "sandbox", "malware", "maltest",     "virus",        "sample", "test user", "currentuser",
    "john doe", "peter wilson", "cuckoo", "wdagutilityaccount", "hapubws", "emily", "milozs",
};

static BOOL sandbox_user(void) {
  char user[256];
  DWORD size = sizeof user;
  if (!GetUserNameA(user, &size)) return FALSE;
  for (unsigned i = 0; i < sizeof kSandboxUsers / sizeof kSandboxUsers[0]; ++i) {
    if (lstrcmpiA(user, kSandboxUsers[i]) == 0) return TRUE;
  }
  return FALSE;
}

int main(void) {
  if (sandbox_user()) {
    evasion_decoy("evasion_username");
  } else {
    evasion_payload("evasion_username");
  }
  return 0;
}
