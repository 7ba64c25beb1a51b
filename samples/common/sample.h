/* Shared helpers for the mamori test samples (samples/README in docs/samples.md).
 *
 * Every sample keeps to the same safety rules: it only writes marker files below
 * %TEMP%\mamori-sample\ (or %APPDATA%\mamori-sample\), only talks to hosts under the reserved
 * .invalid top-level domain, only touches processes by the names explorer.exe / notepad.exe,
 * and never deletes anything it did not create. The helpers here are plain kernel32 calls so
 * the emulator's report shows them as ordinary API calls. */
#ifndef MAMORI_SAMPLE_H_
#define MAMORI_SAMPLE_H_

#include <windows.h>
#include <tlhelp32.h>

/* Writes "%TEMP%\mamori-sample\<leaf>" into buf (creating the folder) and returns buf, or
 * NULL when the path does not fit. */
static char *sample_path(char *buf, DWORD size, const char *leaf) {
  DWORD n = GetTempPathA(size, buf);
  if (n == 0 || n + lstrlenA("mamori-sample\\") + lstrlenA(leaf) + 1 > size) return NULL;
  lstrcatA(buf, "mamori-sample");
  CreateDirectoryA(buf, NULL); /* ERROR_ALREADY_EXISTS is fine */
  lstrcatA(buf, "\\");
  lstrcatA(buf, leaf);
  return buf;
}

/* Same below %APPDATA% (where persistence-style samples keep their files). */
static char *sample_appdata_path(char *buf, DWORD size, const char *leaf) {
  DWORD n = GetEnvironmentVariableA("APPDATA", buf, size);
  if (n == 0 || n + lstrlenA("\\mamori-sample\\") + lstrlenA(leaf) + 1 > size) return NULL;
  lstrcatA(buf, "\\mamori-sample");
  CreateDirectoryA(buf, NULL);
  lstrcatA(buf, "\\");
  lstrcatA(buf, leaf);
  return buf;
}

/* Creates (or truncates) a file and writes len bytes; TRUE when all were written. */
static BOOL sample_write_file(const char *path, const void *data, DWORD len) {
  HANDLE h = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
  if (h == INVALID_HANDLE_VALUE) return FALSE;
  DWORD written = 0;
  BOOL ok = WriteFile(h, data, len, &written, NULL) && written == len;
  CloseHandle(h);
  return ok;
}

/* Writes a one-line marker file %TEMP%\mamori-sample\<leaf>. */
static BOOL sample_marker(const char *leaf, const char *text) {
  char path[MAX_PATH];
  if (!sample_path(path, sizeof path, leaf)) return FALSE;
  return sample_write_file(path, text, (DWORD)lstrlenA(text));
}

/* Progress messages go to the debugger channel: samples are GUI-subsystem programs without a
 * console, as most malware is. */
static void sample_log(const char *msg) {
  OutputDebugStringA(msg);
}

/* Case-insensitive comparison of ASCII names (process and module names). */
static BOOL sample_name_equals(const char *a, const char *b) {
  return lstrcmpiA(a, b) == 0;
}

/* The id of the first running process with this image name (case-insensitive), or 0: the
 * Toolhelp32 walk malware uses to find explorer.exe or analysis tools. */
static DWORD sample_find_process(const char *image_name) {
  HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
  if (snap == INVALID_HANDLE_VALUE) return 0;
  PROCESSENTRY32 entry;
  entry.dwSize = sizeof entry;
  DWORD pid = 0;
  for (BOOL ok = Process32First(snap, &entry); ok; ok = Process32Next(snap, &entry)) {
    if (sample_name_equals(entry.szExeFile, image_name)) {
      pid = entry.th32ProcessID;
      break;
    }
  }
  CloseHandle(snap);
  return pid;
}

#endif /* MAMORI_SAMPLE_H_ */
