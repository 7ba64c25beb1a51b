/* file_mapping — reads its own image through a file mapping (as droppers do to find a payload
 * appended to their file) and passes a message through named shared memory (as multi-process
 * malware and injectors do): CreateFileMappingA on its own file + MapViewOfFile, then a named
 * pagefile-backed mapping written through one view and read back through a second view of the
 * same name opened with OpenFileMappingA.
 *
 * Harmless: reads its own file and writes only %TEMP%\mamori-sample\file_mapping.txt. */
#include "sample.h"

static const char kMessage[] = "mamori shared memory message";

int main(void) {
  char self[MAX_PATH];
  if (!GetModuleFileNameA(NULL, self, sizeof self)) return 1;
  HANDLE file = CreateFileA(self, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
  if (file == INVALID_HANDLE_VALUE) return 2;
  HANDLE image = CreateFileMappingA(file, NULL, PAGE_READONLY, 0, 0, NULL);
  if (!image) return 3;
  const unsigned char *view = MapViewOfFile(image, FILE_MAP_READ, 0, 0, 0);
  if (!view) return 4;
  int is_pe = view[0] == 'M' && view[1] == 'Z';
  UnmapViewOfFile(view);
  CloseHandle(image);
  CloseHandle(file);

  HANDLE shared = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096,
                                     "Local\\mamori-sample-shm");
  if (!shared) return 5;
  char *writer = MapViewOfFile(shared, FILE_MAP_WRITE, 0, 0, 0);
  if (!writer) return 6;
  lstrcpyA(writer, kMessage);
  HANDLE opened = OpenFileMappingA(FILE_MAP_READ, FALSE, "Local\\mamori-sample-shm");
  if (!opened) return 7;
  const char *reader = MapViewOfFile(opened, FILE_MAP_READ, 0, 0, 0);
  if (!reader) return 8;
  int shared_ok = lstrcmpA(reader, kMessage) == 0;
  UnmapViewOfFile(reader);
  UnmapViewOfFile(writer);
  CloseHandle(opened);
  CloseHandle(shared);

  sample_marker("file_mapping.txt", is_pe && shared_ok ? "file_mapping: own image is a PE, shared view ok\r\n"
                                                       : "file_mapping: MISMATCH\r\n");
  return is_pe && shared_ok ? 0 : 9;
}
