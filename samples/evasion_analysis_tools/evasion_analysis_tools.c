/* evasion_analysis_tools — an analyst's tools in the process list: Wireshark, Process Monitor,
 * Process Explorer, Process Hacker, x64dbg/x32dbg, OllyDbg, IDA, Fiddler, TCPView, Autoruns,
 * Regshot — the list al-khaser's analysis_tools_process and families like Formbook, Ursnif and
 * Agent Tesla carry (usually as hashes; here in clear). Payload only when none runs. */
#include "evasion.h"

static const char *const kTools[] = {
    "wireshark.exe", "procmon.exe",    "procmon64.exe", "procexp.exe",  "procexp64.exe",
    "processhacker.exe", "x64dbg.exe", "x32dbg.exe",    "ollydbg.exe",  "idaq.exe",
    "idaq64.exe",    "ida64.exe",      "fiddler.exe",   "tcpview.exe",  "autoruns.exe",
    "regshot.exe",
};

static BOOL tool_running(void) {
  HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
  if (snap == INVALID_HANDLE_VALUE) return FALSE;
  PROCESSENTRY32 entry;
  entry.dwSize = sizeof entry;
  BOOL found = FALSE;
  for (BOOL ok = Process32First(snap, &entry); ok && !found; ok = Process32Next(snap, &entry)) {
    for (unsigned i = 0; i < sizeof kTools / sizeof kTools[0]; ++i) {
      if (lstrcmpiA(entry.szExeFile, kTools[i]) == 0) found = TRUE;
    }
  }
  CloseHandle(snap);
  return found;
}

int main(void) {
  if (tool_running()) {
    evasion_decoy("evasion_analysis_tools");
  } else {
    evasion_payload("evasion_analysis_tools");
  }
  return 0;
}
