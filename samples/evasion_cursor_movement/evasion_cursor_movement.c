/* evasion_cursor_movement — nobody at the keyboard: GetCursorPos, Sleep(2000), GetCursorPos
 * again; a cursor that has not moved means an unattended sandbox (pafish
 * gensandbox_mouse_act, al-khaser mouse_movement, Trojan.APT.BaneChant). Payload only when
 * the cursor moved. */
#include "evasion.h"

int main(void) {
  POINT before = {0, 0}, after = {0, 0};
  GetCursorPos(&before);
  Sleep(2000);
  GetCursorPos(&after);
  if (before.x == after.x && before.y == after.y) {
    evasion_decoy("evasion_cursor_movement");
  } else {
    evasion_payload("evasion_cursor_movement");
  }
  return 0;
}
