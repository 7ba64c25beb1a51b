/* evasion_keyboard_layout — the CIS exclusion: GetKeyboardLayoutList, and the program stops when
 * any installed layout is Russian, Ukrainian, Belarusian, Kazakh, Uzbek, Tajik, Kyrgyz,
 * Armenian, Azerbaijani, Tatar or Romanian/Russian (Moldova) — what REvil, DarkSide, Conti and
 * many stealers do (ATT&CK T1614.001). The default en-US layout passes. */
#include "evasion.h"

static const WORD kCisLanguages[] = {0x0419, 0x0422, 0x0423, 0x043F, 0x0443, 0x0428,
                                     0x0440, 0x042B, 0x042C, 0x0444, 0x0818, 0x0819};

static BOOL cis_layout(void) {
  HKL layouts[32];
  int count = GetKeyboardLayoutList(sizeof layouts / sizeof layouts[0], layouts);
  for (int i = 0; i < count; ++i) {
    WORD language = LOWORD((ULONG_PTR)layouts[i]);
    for (unsigned j = 0; j < sizeof kCisLanguages / sizeof kCisLanguages[0]; ++j) {
      if (language == kCisLanguages[j]) return TRUE;
    }
  }
  return FALSE;
}

int main(void) {
  if (cis_layout()) {
    evasion_decoy("evasion_keyboard_layout");
  } else {
    evasion_payload("evasion_keyboard_layout");
  }
  return 0;
}
