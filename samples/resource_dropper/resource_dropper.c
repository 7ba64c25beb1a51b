/* resource_dropper — a dropper that carries its next stage in its own resources (ATT&CK T1027.009,
 * embedded payloads): FindResource / LoadResource / LockResource / SizeofResource on an RCDATA
 * resource named PAYLOAD, written out to %TEMP%\mamori-sample\stage2.bin; and a configuration
 * read from RCDATA resource 101 by number, whose C2 name it resolves.
 *
 * Harmless: the "payload" is a line of text (payload.bin) and the C2 host is under .invalid. */
#include "sample.h"

static const void *resource(LPCSTR name, DWORD *size) {
  HRSRC info = FindResourceA(NULL, name, MAKEINTRESOURCEA(10) /* RT_RCDATA */);
  if (!info) return NULL;
  HGLOBAL loaded = LoadResource(NULL, info);
  if (!loaded) return NULL;
  *size = SizeofResource(NULL, info);
  return LockResource(loaded);
}

int main(void) {
  DWORD size = 0;
  const char *payload = resource("PAYLOAD", &size);
  if (!payload || size == 0) return 1;
  char path[MAX_PATH];
  if (!sample_path(path, sizeof path, "stage2.bin") || !sample_write_file(path, payload, size))
    return 2;

  DWORD config_size = 0;
  const char *config = resource(MAKEINTRESOURCEA(101), &config_size);
  if (!config) return 3;
  /* "...beacon=<host> interval=..." → the host, as a bot reads its C2 from its config */
  const char *host = config;
  while (*host && *host != '=') host++;
  if (!*host) return 4;
  char name[128];
  int n = 0;
  for (host++; *host && *host != ' ' && n < (int)sizeof name - 1; host++) name[n++] = *host;
  name[n] = 0;
  sample_log("resource_dropper: stage two written, config read\r\n");
  /* the lookup itself is the behaviour; the answer does not matter */
  HMODULE ws = LoadLibraryA("ws2_32.dll");
  if (ws) {
    typedef void *(WINAPI * GetHostByName)(const char *);
    GetHostByName resolve = (GetHostByName)(void *)GetProcAddress(ws, "gethostbyname");
    if (resolve) resolve(name);
  }
  return 0;
}
