/* mutex_single — the single-instance check nearly every bot makes: a named mutex, and exit when
 * CreateMutex reports ERROR_ALREADY_EXISTS (analysts turn these names into IOCs and
 * "vaccines").
 *
 * Creates Global\mamori-sample-mutex; if it already existed, it exits at once (another instance
 * runs). Otherwise it shows the check from the other side too: a second CreateMutexA on the same
 * name must now report ERROR_ALREADY_EXISTS, which it records in a marker file. */
#include "sample.h"

static const char kMutexName[] = "Global\\mamori-sample-mutex";

int main(void) {
  HANDLE first = CreateMutexA(NULL, FALSE, kMutexName);
  if (!first) return 1;
  if (GetLastError() == ERROR_ALREADY_EXISTS) {
    sample_log("mutex_single: another instance is running, exiting");
    CloseHandle(first);
    return 0;
  }

  /* what a second instance would see */
  HANDLE second = CreateMutexA(NULL, FALSE, kMutexName);
  BOOL seen = second && GetLastError() == ERROR_ALREADY_EXISTS;
  if (second) CloseHandle(second);

  sample_marker("mutex_single.txt", seen ? "mutex_single: second instance saw ERROR_ALREADY_EXISTS\r\n"
                                         : "mutex_single: second instance NOT detected\r\n");
  CloseHandle(first);
  return seen ? 0 : 2;
}
