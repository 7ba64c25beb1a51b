/* The program process_hollowing runs inside a hollowed notepad.exe (built as
 * hollow_payload.<arch>.exe). It writes a marker naming the process it runs in and exits. */
#include "sample.h"

int main(void) {
  char host[MAX_PATH], text[MAX_PATH + 64];
  if (!GetModuleFileNameA(NULL, host, sizeof host)) lstrcpyA(host, "?");
  lstrcpyA(text, "hollow_payload: running as ");
  lstrcatA(text, host);
  lstrcatA(text, "\r\n");
  sample_marker("process_hollowing.txt", text);
  return 0;
}
