/* evasion_time_bomb — a logic bomb: GetSystemTime, and the payload only from 1 January 2035
 * on (ATT&CK T1497.003, time-based evasion; dormant implants and wipers with a trigger date).
 * The default clock is years earlier, so the natural run only shows the date check; only
 * forcing the comparison reveals the payload. */
#include "evasion.h"

int main(void) {
  SYSTEMTIME now;
  GetSystemTime(&now);
  if (now.wYear >= 2035) {
    evasion_payload("evasion_time_bomb");
  } else {
    evasion_decoy("evasion_time_bomb");
  }
  return 0;
}
