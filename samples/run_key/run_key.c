/* run_key — persistence through the per-user Run key, the most common autostart of commodity
 * RATs and stealers (MITRE ATT&CK T1547.001).
 *
 * Stores its "configuration" under HKCU\Software\mamori-sample, then registers
 * "mamori-updater" under HKCU\Software\Microsoft\Windows\CurrentVersion\Run. Harmless: the value
 * points to %APPDATA%\mamori-sample\mamori-updater.exe, a file this sample never creates, so
 * nothing starts at logon (Windows skips Run entries whose program is missing). It writes a
 * marker file describing what it did. */
#include "sample.h"

static const char kRunKey[] = "Software\\Microsoft\\Windows\\CurrentVersion\\Run";
static const char kConfigKey[] = "Software\\mamori-sample";

int main(void) {
  char target[MAX_PATH];
  if (!sample_appdata_path(target, sizeof target, "mamori-updater.exe")) return 1;

  /* configuration key of our own */
  HKEY key;
  DWORD disposition;
  if (RegCreateKeyExA(HKEY_CURRENT_USER, kConfigKey, 0, NULL, REG_OPTION_NON_VOLATILE,
                      KEY_SET_VALUE | KEY_QUERY_VALUE, NULL, &key, &disposition) == ERROR_SUCCESS) {
    DWORD installed = 1;
    RegSetValueExA(key, "installed", 0, REG_DWORD, (const BYTE *)&installed, sizeof installed);
    RegCloseKey(key);
  }

  /* the Run entry */
  LONG rc = RegOpenKeyExA(HKEY_CURRENT_USER, kRunKey, 0, KEY_SET_VALUE | KEY_QUERY_VALUE, &key);
  if (rc != ERROR_SUCCESS) {
    rc = RegCreateKeyExA(HKEY_CURRENT_USER, kRunKey, 0, NULL, REG_OPTION_NON_VOLATILE,
                         KEY_SET_VALUE | KEY_QUERY_VALUE, NULL, &key, &disposition);
  }
  if (rc != ERROR_SUCCESS) return 2;
  rc = RegSetValueExA(key, "mamori-updater", 0, REG_SZ, (const BYTE *)target,
                      (DWORD)lstrlenA(target) + 1);

  /* read it back, as installers checking their own persistence do */
  char check[MAX_PATH] = {0};
  DWORD type = 0, size = sizeof check - 1;
  RegQueryValueExA(key, "mamori-updater", NULL, &type, (BYTE *)check, &size);
  RegCloseKey(key);

  sample_marker("run_key.txt", rc == ERROR_SUCCESS ? "run_key: HKCU Run value mamori-updater set\r\n"
                                                   : "run_key: RegSetValueExA failed\r\n");
  return rc == ERROR_SUCCESS ? 0 : 3;
}
