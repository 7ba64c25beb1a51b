/* file_ops — the basic file activity almost every sample shows: a stager writes its
 * configuration or next stage to %TEMP%, reads it back, and removes it to cover its tracks.
 *
 * Creates %TEMP%\mamori-sample\file_ops.txt, writes a line, reads it back, records the result in
 * file_ops.log (kept, so a real run can be checked) and deletes file_ops.txt — the only file it
 * deletes, one it created itself. */
#include "sample.h"

static const char kContent[] = "mamori file_ops marker: created, written, read back, deleted\r\n";

int main(void) {
  char path[MAX_PATH], log_path[MAX_PATH];
  if (!sample_path(path, sizeof path, "file_ops.txt") ||
      !sample_path(log_path, sizeof log_path, "file_ops.log"))
    return 1;

  /* create + write */
  HANDLE h = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
  if (h == INVALID_HANDLE_VALUE) return 2;
  DWORD done = 0;
  WriteFile(h, kContent, sizeof kContent - 1, &done, NULL);
  CloseHandle(h);

  /* open + read back */
  char buf[128] = {0};
  h = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL,
                  NULL);
  if (h == INVALID_HANDLE_VALUE) return 3;
  DWORD size = GetFileSize(h, NULL), got = 0;
  ReadFile(h, buf, sizeof buf - 1, &got, NULL);
  CloseHandle(h);
  BOOL same = got == sizeof kContent - 1 && size == got &&
              CompareStringA(LOCALE_INVARIANT, 0, buf, (int)got, kContent, (int)got) == CSTR_EQUAL;

  /* the result, kept as evidence */
  const char *result = same ? "file_ops: read back ok\r\n" : "file_ops: read back MISMATCH\r\n";
  sample_write_file(log_path, result, (DWORD)lstrlenA(result));

  /* delete the file we created */
  DeleteFileA(path);
  sample_log(result);
  return same ? 0 : 4;
}
