/* recon_user — user-session reconnaissance of a stealer/keylogger (MITRE ATT&CK T1056.001,
 * T1010, T1083): where the profile folders are, whether keys can be watched, which windows
 * exist, whether WMI is reachable through COM.
 *
 * Asks the shell for %APPDATA% (SHGetFolderPathA, CSIDL_APPDATA) and writes a marker file
 * below <AppData>\mamori-sample\, installs a low-level keyboard hook with a procedure that only
 * passes events on and removes it at once, polls GetAsyncKeyState for a few keys, looks for the
 * taskbar window and its owner, and tries to create the WMI locator (CLSID_WbemLocator), whose
 * failure it handles. Harmless: no keystroke is recorded, nothing is sent anywhere. */
#include <objbase.h>
#include <shlobj.h>

#include "sample.h"

static LRESULT CALLBACK pass_on(int code, WPARAM wparam, LPARAM lparam) {
  return CallNextHookEx(NULL, code, wparam, lparam);
}

/* {4590F811-1D3A-11D0-891F-00AA004B2E24} and IWbemLocator {DC12A687-737F-11CF-884D-00AA004B2E24} */
static const GUID kWbemLocator = {0x4590F811, 0x1D3A, 0x11D0, {0x89, 0x1F, 0x00, 0xAA, 0x00, 0x4B, 0x2E, 0x24}};
static const GUID kIWbemLocator = {0xDC12A687, 0x737F, 0x11CF, {0x88, 0x4D, 0x00, 0xAA, 0x00, 0x4B, 0x2E, 0x24}};

int main(void) {
  char path[MAX_PATH];
  if (SHGetFolderPathA(NULL, CSIDL_APPDATA | CSIDL_FLAG_CREATE, NULL, 0, path) != S_OK) return 1;
  if (lstrlenA(path) + lstrlenA("\\mamori-sample\\recon_user.txt") + 1 > MAX_PATH) return 2;
  lstrcatA(path, "\\mamori-sample");
  CreateDirectoryA(path, NULL);
  lstrcatA(path, "\\recon_user.txt");
  if (!sample_write_file(path, "recon_user ran\r\n", 16)) return 3;

  HHOOK hook = SetWindowsHookExA(WH_KEYBOARD_LL, pass_on, GetModuleHandleA(NULL), 0);
  if (hook != NULL) UnhookWindowsHookEx(hook);

  int down = 0;
  static const int keys[] = {VK_SHIFT, VK_CONTROL, VK_RETURN, 'A', 'Z'};
  for (int i = 0; i < (int)(sizeof keys / sizeof keys[0]); ++i) {
    if (GetAsyncKeyState(keys[i]) & 0x8000) ++down;
  }

  HWND tray = FindWindowA("Shell_TrayWnd", NULL);
  DWORD owner = 0;
  if (tray != NULL) GetWindowThreadProcessId(tray, &owner);

  BOOL wmi = FALSE;
  if (SUCCEEDED(CoInitializeEx(NULL, COINIT_APARTMENTTHREADED))) {
    void *locator = NULL;
    HRESULT hr = CoCreateInstance(&kWbemLocator, NULL, CLSCTX_INPROC_SERVER, &kIWbemLocator, &locator);
    if (SUCCEEDED(hr) && locator != NULL) {
      ((IUnknown *)locator)->lpVtbl->Release((IUnknown *)locator);
      wmi = TRUE;
    }
    CoUninitialize();
  }

  char line[160];
  char digit[2] = {(char)('0' + (down > 9 ? 9 : down)), 0};
  lstrcpyA(line, "recon_user: appdata ok, hook ");
  lstrcatA(line, hook ? "set" : "failed");
  lstrcatA(line, ", keys down ");
  lstrcatA(line, digit);
  lstrcatA(line, ", taskbar ");
  lstrcatA(line, tray ? "found" : "missing");
  lstrcatA(line, ", wmi ");
  lstrcatA(line, wmi ? "yes" : "no");
  sample_log(line);
  return 0;
}
