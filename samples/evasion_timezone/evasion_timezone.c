/* evasion_timezone — where the machine is, from its time zone: GetTimeZoneInformation, and the
 * program stops in the Russian and Belarusian zones ("Russian Standard Time", "Kaliningrad",
 * "Ekaterinburg", "Volgograd", "Belarus", ...), as some ransomware and stealers do besides the
 * keyboard check (ATT&CK T1614.001). The default time zone passes. */
#include "evasion.h"

static const char *const kZones[] = {"Russian", "Russia TZ", "Kaliningrad", "Ekaterinburg",
                                     "Volgograd", "Belarus", "Astrakhan", "Saratov"};

static BOOL cis_time_zone(void) {
  TIME_ZONE_INFORMATION zone;
  if (GetTimeZoneInformation(&zone) == TIME_ZONE_ID_INVALID) return FALSE;
  char name[64];
  if (!WideCharToMultiByte(CP_ACP, 0, zone.StandardName, -1, name, sizeof name, NULL, NULL)) {
    return FALSE;
  }
  for (unsigned i = 0; i < sizeof kZones / sizeof kZones[0]; ++i) {
    if (evasion_contains(name, kZones[i])) return TRUE;
  }
  return FALSE;
}

int main(void) {
  if (cis_time_zone()) {
    evasion_decoy("evasion_timezone");
  } else {
    evasion_payload("evasion_timezone");
  }
  return 0;
}
