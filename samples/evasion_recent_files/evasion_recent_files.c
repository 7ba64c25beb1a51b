/* evasion_recent_files — a used machine has recent documents: SHGetFolderPathA(CSIDL_RECENT)
 * (%APPDATA%\Microsoft\Windows\Recent), then FindFirstFileA/FindNextFileA counting its entries;
 * fewer than 3 means a fresh sandbox image (al-khaser, Sofacy/APT28 droppers, Ramnit). Payload
 * only with 3 or more recent items. */
#include "evasion.h"
#include <shlobj.h>

static int recent_items(void) {
  char pattern[MAX_PATH + 4];
  if (SHGetFolderPathA(NULL, CSIDL_RECENT, NULL, 0, pattern) != S_OK) return 0;
  lstrcatA(pattern, "\\*");
  WIN32_FIND_DATAA found;
  HANDLE h = FindFirstFileA(pattern, &found);
  if (h == INVALID_HANDLE_VALUE) return 0;
  int count = 0;
  do {
    if (lstrcmpA(found.cFileName, ".") != 0 && lstrcmpA(found.cFileName, "..") != 0) ++count;
  } while (FindNextFileA(h, &found));
  FindClose(h);
  return count;
}

int main(void) {
  if (recent_items() < 3) {
    evasion_decoy("evasion_recent_files");
  } else {
    evasion_payload("evasion_recent_files");
  }
  return 0;
}
