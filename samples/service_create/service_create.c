/* service_create — persistence and privilege through a Windows service, as droppers of banking
 * trojans and ransomware do (ATT&CK T1543.003): OpenSCManager, CreateService, StartService.
 *
 * Harmless: the service is demand-start (never starts by itself) and its binary path
 * %TEMP%\mamori-sample\mamori-svc.exe does not exist, so StartService fails on a real system
 * (and OpenSCManager fails anyway without administrator rights). The outcome of each step goes
 * to a marker file. */
#include "sample.h"

int main(void) {
  char image[MAX_PATH], log[256];
  if (!sample_path(image, sizeof image, "mamori-svc.exe")) return 1;
  lstrcpyA(log, "service_create:");

  SC_HANDLE scm = OpenSCManagerA(NULL, NULL, SC_MANAGER_CONNECT | SC_MANAGER_CREATE_SERVICE);
  if (!scm) {
    lstrcatA(log, " OpenSCManagerA failed\r\n");
    sample_marker("service_create.txt", log);
    return 2;
  }
  SC_HANDLE svc = CreateServiceA(scm, "mamori-svc", "mamori sample service",
                                 SERVICE_START | SERVICE_QUERY_STATUS, SERVICE_WIN32_OWN_PROCESS,
                                 SERVICE_DEMAND_START, SERVICE_ERROR_IGNORE, image, NULL, NULL,
                                 NULL, NULL, NULL);
  if (!svc && GetLastError() == ERROR_SERVICE_EXISTS) {
    lstrcatA(log, " exists,");
    svc = OpenServiceA(scm, "mamori-svc", SERVICE_START | SERVICE_QUERY_STATUS);
  } else if (svc) {
    lstrcatA(log, " created,");
  }
  if (svc) {
    lstrcatA(log, StartServiceA(svc, 0, NULL) ? " started\r\n" : " start failed\r\n");
    CloseServiceHandle(svc);
  } else {
    lstrcatA(log, " CreateServiceA failed\r\n");
  }
  CloseServiceHandle(scm);
  sample_marker("service_create.txt", log);
  return 0;
}
