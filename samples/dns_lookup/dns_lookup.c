/* dns_lookup — the name resolution malware does before any C2 traffic, through the three APIs
 * it uses: getaddrinfo and the older gethostbyname (Winsock), and DnsQuery_A (dnsapi, here a
 * TXT query, a common channel for commands and DNS tunnelling). It also resolves three names from
 * a tiny domain-generation algorithm (DGA), like Conficker or Necurs, seeded with a constant so
 * the names are known in advance.
 *
 * Harmless: every name is below .invalid, which never resolves (RFC 6761). */
#include "sample.h"
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windns.h>

/* The DGA: 10 letters from a linear congruential generator, then ".dga.invalid". */
static void dga_name(unsigned seed, char *out) {
  unsigned x = seed;
  int i = 0;
  for (; i < 10; ++i) {
    x = x * 1103515245u + 12345u;
    out[i] = (char)('a' + (x >> 16) % 26);
  }
  lstrcpyA(out + i, ".dga.invalid");
}

int main(void) {
  WSADATA wsa;
  if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) return 1;
  int answered = 0;

  struct addrinfo hints, *res = NULL;
  ZeroMemory(&hints, sizeof hints);
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  if (getaddrinfo("c2.example.invalid", "443", &hints, &res) == 0) {
    ++answered;
    freeaddrinfo(res);
  }

  if (gethostbyname("update.example.invalid")) ++answered;

  PDNS_RECORD records = NULL;
  if (DnsQuery_A("txt.example.invalid", DNS_TYPE_TEXT, DNS_QUERY_STANDARD, NULL, &records, NULL) ==
      0) {
    ++answered;
    DnsRecordListFree(records, DnsFreeRecordList);
  }

  for (unsigned day = 0; day < 3; ++day) {
    char name[32];
    dga_name(20240101u + day, name);
    if (gethostbyname(name)) ++answered;
  }

  WSACleanup();
  sample_marker("dns_lookup.txt", answered ? "dns_lookup: some names answered\r\n"
                                           : "dns_lookup: no name answered\r\n");
  return 0;
}
