/* evasion_language — the same CIS exclusion through the language settings:
 * GetUserDefaultUILanguage, GetUserDefaultLangID and GetSystemDefaultLangID against the CIS
 * languages (primary language Russian, Ukrainian, Belarusian, Kazakh, Uzbek, Tajik, Kyrgyz,
 * Armenian, Azerbaijani, Tatar) — Sodinokibi, Ryuk droppers, Raccoon (ATT&CK T1614.001). The
 * default en-US passes. */
#include "evasion.h"

static const WORD kCisPrimary[] = {LANG_RUSSIAN, LANG_UKRAINIAN, LANG_BELARUSIAN, LANG_KAZAK,
                                   LANG_UZBEK,   LANG_TAJIK,     LANG_KYRGYZ,     LANG_ARMENIAN,
                                   LANG_AZERI,   LANG_TATAR};

static BOOL cis_language(LANGID id) {
  for (unsigned i = 0; i < sizeof kCisPrimary / sizeof kCisPrimary[0]; ++i) {
    if (PRIMARYLANGID(id) == kCisPrimary[i]) return TRUE;
  }
  return FALSE;
}

int main(void) {
  BOOL cis = cis_language(GetUserDefaultUILanguage()) || cis_language(GetUserDefaultLangID()) ||
             cis_language(GetSystemDefaultLangID());
  if (cis) {
    evasion_decoy("evasion_language");
  } else {
    evasion_payload("evasion_language");
  }
  return 0;
}
