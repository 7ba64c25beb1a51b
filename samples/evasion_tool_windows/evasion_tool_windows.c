/* evasion_tool_windows — analysis tools by their top-level windows: EnumWindows with
 * GetWindowTextA, looking for titles like "Process Monitor", "Wireshark", "x64dbg", "OllyDbg",
 * "Process Hacker", "Fiddler" (al-khaser's window checks, Dridex, Smoke Loader). Payload only
 * when no such window exists. */
#include "evasion.h"

static const char *const kTitles[] = {"Process Monitor", "Process Explorer", "Wireshark",
                                      "x64dbg",          "x32dbg",           "OllyDbg",
                                      "Process Hacker",  "Fiddler",          "IDA -"};

static BOOL CALLBACK check_window(HWND window, LPARAM found) {
  char title[256];
  if (GetWindowTextA(window, title, sizeof title) > 0) {
    for (unsigned i = 0; i < sizeof kTitles / sizeof kTitles[0]; ++i) {
      if (evasion_contains(title, kTitles[i])) {
        *(BOOL *)found = TRUE;
        return FALSE; /* stop the enumeration */
      }
    }
  }
  return TRUE;
}

int main(void) {
  BOOL found = FALSE;
  EnumWindows(check_window, (LPARAM)&found);
  if (found) {
    evasion_decoy("evasion_tool_windows");
  } else {
    evasion_payload("evasion_tool_windows");
  }
  return 0;
}
