/* Shared payload and decoy of the evasive samples (samples/evasion_*, docs/samples.md,
 * "Evasive programs").
 *
 * Each evasive sample runs one or two environment checks the way public evasion tools
 * (al-khaser, pafish) and malware families write them, then either
 *   - evasion_payload("<name>"): the hidden behaviour — the marker
 *     %TEMP%\mamori-sample\<name>.txt and a beacon to <name>.example.invalid (underscores become
 *     hyphens: they are not allowed in host names). The beacon is a gethostbyname lookup
 *     (ws2_32), or, when the sample defines EVASION_BEACON_HTTP before including this header, an
 *     HTTP GET of http://<host>/gate through WinINet; or
 *   - evasion_decoy("<name>"): what the program does when it believes it is watched — the
 *     marker <name>.log saying the environment was rejected.
 * Link with -lws2_32 (or -lwininet with EVASION_BEACON_HTTP).
 *
 * The safety rules of sample.h hold: marker files below %TEMP%\mamori-sample\ only, hosts below
 * .invalid only. The checks themselves only read. */
#ifndef MAMORI_EVASION_H_
#define MAMORI_EVASION_H_

#ifdef EVASION_BEACON_HTTP
#include "sample.h"
#include <wininet.h>
#else
#include <winsock2.h> /* before windows.h (sample.h), or winsock.h clashes with it */
#include "sample.h"
#endif

/* "<name>.example.invalid" with '_' → '-' into host (at least 96 bytes). */
static void evasion_host(const char *name, char *host) {
  int i = 0;
  for (; name[i] && i < 64; ++i) host[i] = name[i] == '_' ? '-' : name[i];
  lstrcpyA(host + i, ".example.invalid");
}

static void evasion_beacon(const char *host) {
#ifdef EVASION_BEACON_HTTP
  char url[128];
  lstrcpyA(url, "http://");
  lstrcatA(url, host);
  lstrcatA(url, "/gate");
  HINTERNET inet = InternetOpenA("Mozilla/5.0", INTERNET_OPEN_TYPE_PRECONFIG, NULL, NULL, 0);
  if (!inet) return;
  HINTERNET req = InternetOpenUrlA(inet, url, NULL, 0, INTERNET_FLAG_NO_CACHE_WRITE, 0);
  if (req) InternetCloseHandle(req);
  InternetCloseHandle(inet);
#else
  WSADATA wsa;
  if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) return;
  gethostbyname(host);
  WSACleanup();
#endif
}

/* The hidden behaviour: beacon, then the marker <name>.txt. */
static void evasion_payload(const char *name) {
  char host[96], leaf[80];
  evasion_host(name, host);
  evasion_beacon(host);
  lstrcpyA(leaf, name);
  lstrcatA(leaf, ".txt");
  sample_marker(leaf, "payload ran: the environment passed the checks\r\n");
}

/* The benign decoy: the marker <name>.log, nothing else. */
static void evasion_decoy(const char *name) {
  char leaf[80];
  lstrcpyA(leaf, name);
  lstrcatA(leaf, ".log");
  sample_marker(leaf, "environment rejected, payload skipped\r\n");
}

/* Case-insensitive ASCII substring test (the CRT has no portable strcasestr). */
static BOOL evasion_contains(const char *haystack, const char *needle) {
  for (; *haystack; ++haystack) {
    const char *h = haystack, *n = needle;
    while (*n && *h) {
      char a = *h, b = *n;
      if (a >= 'A' && a <= 'Z') a += 32;
      if (b >= 'A' && b <= 'Z') b += 32;
      if (a != b) break;
      ++h;
      ++n;
    }
    if (!*n) return TRUE;
  }
  return FALSE;
}

/* Case-insensitive substring search in a byte buffer that may hold NULs (firmware tables,
 * REG_MULTI_SZ values). */
static BOOL evasion_memfind(const BYTE *data, DWORD size, const char *needle) {
  DWORD len = (DWORD)lstrlenA(needle);
  for (DWORD i = 0; i + len <= size; ++i) {
    DWORD j = 0;
    for (; j < len; ++j) {
      char a = (char)data[i + j], b = needle[j];
      if (a >= 'A' && a <= 'Z') a += 32;
      if (b >= 'A' && b <= 'Z') b += 32;
      if (a != b) break;
    }
    if (j == len) return TRUE;
  }
  return FALSE;
}

/* 32-bit FNV-1a of the upper-cased text: how keyed payloads compare a host or user name without
 * carrying it in clear. */
static DWORD evasion_fnv1a_upper(const char *text) {
  DWORD h = 2166136261u;
  for (; *text; ++text) {
    char c = *text;
    if (c >= 'a' && c <= 'z') c -= 32;
    h ^= (BYTE)c;
    h *= 16777619u;
  }
  return h;
}

#endif /* MAMORI_EVASION_H_ */
