/* benign_filecopy — goodware baseline: a small copy utility, `benign_filecopy SRC DST`, copying
 * in 4 KiB chunks with ReadFile/WriteFile. Without arguments it demonstrates itself on a file of
 * its own: it creates %TEMP%\mamori-sample\filecopy-src.txt and copies it to filecopy-dst.txt.
 * File activity, but nothing a malware verdict should rest on. */
#include <stdio.h>

#include "sample.h"

static long copy_file(const char *src, const char *dst) {
  HANDLE in = CreateFileA(src, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                          FILE_ATTRIBUTE_NORMAL, NULL);
  if (in == INVALID_HANDLE_VALUE) return -1;
  HANDLE out = CreateFileA(dst, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
  if (out == INVALID_HANDLE_VALUE) {
    CloseHandle(in);
    return -1;
  }
  char buf[4096];
  DWORD got, put;
  long total = 0;
  while (ReadFile(in, buf, sizeof buf, &got, NULL) && got > 0) {
    if (!WriteFile(out, buf, got, &put, NULL) || put != got) {
      total = -1;
      break;
    }
    total += (long)got;
  }
  CloseHandle(out);
  CloseHandle(in);
  return total;
}

int main(int argc, char **argv) {
  char src[MAX_PATH], dst[MAX_PATH];
  if (argc == 3) {
    lstrcpynA(src, argv[1], sizeof src);
    lstrcpynA(dst, argv[2], sizeof dst);
  } else {
    static const char text[] = "benign_filecopy: demonstration file\r\n";
    if (!sample_path(src, sizeof src, "filecopy-src.txt") ||
        !sample_path(dst, sizeof dst, "filecopy-dst.txt") ||
        !sample_write_file(src, text, sizeof text - 1))
      return 1;
  }
  long n = copy_file(src, dst);
  if (n < 0) {
    printf("copy failed: %s -> %s\n", src, dst);
    return 2;
  }
  printf("copied %ld bytes: %s -> %s\n", n, src, dst);
  return 0;
}
