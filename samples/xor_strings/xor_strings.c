/* xor_strings — strings kept XOR-encoded in the binary and decoded only at run time, so `strings`
 * and static signatures see nothing useful (ATT&CK T1027). Almost every family does this for its
 * C2 names, paths and registry keys.
 *
 * Each string below is XORed with the 4-byte key kKey (the plain text is in the comment above
 * it; the encoded bytes were produced with a few lines of Python). At run time the sample
 * decodes them onto the stack and uses them: as a registry key, value name and value data under
 * HKCU\Software\mamori-sample, and as the name of a marker file in %TEMP%\mamori-sample. */
#include "sample.h"

static const unsigned char kKey[4] = {0x5a, 0x13, 0xc7, 0x2e};

/* "Software\\mamori-sample\\xor" */
static const unsigned char kRegKey[] = {
    0x09, 0x7c, 0xa1, 0x5a, 0x2d, 0x72, 0xb5, 0x4b, 0x06, 0x7e, 0xa6, 0x43, 0x35, 0x61, 0xae,
    0x03, 0x29, 0x72, 0xaa, 0x5e, 0x36, 0x76, 0x9b, 0x56, 0x35, 0x61};

/* "config" */
static const unsigned char kValueName[] = {
    0x39, 0x7c, 0xa9, 0x48, 0x33, 0x74};

/* "mamori-decoded-secret" */
static const unsigned char kValueData[] = {
    0x37, 0x72, 0xaa, 0x41, 0x28, 0x7a, 0xea, 0x4a, 0x3f, 0x70, 0xa8, 0x4a, 0x3f, 0x77, 0xea,
    0x5d, 0x3f, 0x70, 0xb5, 0x4b, 0x2e};

/* "xor_strings.txt" */
static const unsigned char kFileName[] = {
    0x22, 0x7c, 0xb5, 0x71, 0x29, 0x67, 0xb5, 0x47, 0x34, 0x74, 0xb4, 0x00, 0x2e, 0x6b, 0xb3};

/* "xor_strings: decoded strings used\r\n" */
static const unsigned char kMarkerText[] = {
    0x22, 0x7c, 0xb5, 0x71, 0x29, 0x67, 0xb5, 0x47, 0x34, 0x74, 0xb4, 0x14, 0x7a, 0x77, 0xa2,
    0x4d, 0x35, 0x77, 0xa2, 0x4a, 0x7a, 0x60, 0xb3, 0x5c, 0x33, 0x7d, 0xa0, 0x5d, 0x7a, 0x66,
    0xb4, 0x4b, 0x3e, 0x1e, 0xcd};

/* Decodes n bytes into out and terminates the string. */
__attribute__((noipa)) /* keep gcc from decoding at compile time */
static char *xor_decode(const unsigned char *in, int n, char *out) {
  for (int i = 0; i < n; ++i) out[i] = (char)(in[i] ^ kKey[i % 4]);
  out[n] = 0;
  return out;
}
#define DECODE(arr, buf) xor_decode(arr, (int)sizeof arr, buf)

int main(void) {
  char reg_key[64], value_name[16], value_data[32], file_name[32], text[64], path[MAX_PATH];
  DECODE(kRegKey, reg_key);
  DECODE(kValueName, value_name);
  DECODE(kValueData, value_data);
  DECODE(kFileName, file_name);
  DECODE(kMarkerText, text);

  HKEY key;
  if (RegCreateKeyExA(HKEY_CURRENT_USER, reg_key, 0, NULL, REG_OPTION_NON_VOLATILE, KEY_SET_VALUE,
                      NULL, &key, NULL) == ERROR_SUCCESS) {
    RegSetValueExA(key, value_name, 0, REG_SZ, (const BYTE *)value_data,
                   (DWORD)lstrlenA(value_data) + 1);
    RegCloseKey(key);
  }
  if (!sample_path(path, sizeof path, file_name)) return 1;
  return sample_write_file(path, text, (DWORD)lstrlenA(text)) ? 0 : 2;
}
