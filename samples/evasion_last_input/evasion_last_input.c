/* evasion_last_input — no keyboard or mouse input: GetLastInputInfo before and after
 * Sleep(5000); when the time of the last input has not changed, nobody is using the machine
 * (Nymaim, Upatre, al-khaser's user-input check). Payload only after fresh input. */
#include "evasion.h"

int main(void) {
  LASTINPUTINFO before = {sizeof(LASTINPUTINFO), 0}, after = {sizeof(LASTINPUTINFO), 0};
  GetLastInputInfo(&before);
  Sleep(5000);
  GetLastInputInfo(&after);
  if (after.dwTime == before.dwTime) {
    evasion_decoy("evasion_last_input");
  } else {
    evasion_payload("evasion_last_input");
  }
  return 0;
}
