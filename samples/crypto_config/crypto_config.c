/* crypto_config — a configuration kept RC4-encrypted in the binary and decrypted with the
 * Windows CryptoAPI at run time (ATT&CK T1027, T1140): the key is derived (CryptDeriveKey) from
 * the MD5 of a passphrase, as many families do. The sample then checks the plaintext's SHA-256
 * with BCrypt, base64-decodes a string with CryptStringToBinaryA, and writes the marker file
 * %TEMP%\mamori-sample\crypto_config.txt only if every check passed.
 *
 * kConfig was produced with a few lines of Python (RC4 under MD5("mamori-passphrase-2026"),
 * checked against `openssl enc -rc4`); its plaintext is
 * "mamori-config:c2=beacon.mamori-sample.invalid;port=8443;sleep=60;id=crypto-config-sample". */
#include "sample.h"

#include <wincrypt.h>
#include <bcrypt.h>

static const char kPassphrase[] = "mamori-passphrase-2026";

static const unsigned char kConfig[88] = {
    0xe9, 0x6a, 0x7b, 0xa9, 0x49, 0x4a, 0x18, 0x33, 0xc3, 0x99, 0x18, 0x61, 0x81, 0x2a, 0x0a,
    0xc5, 0xc0, 0x00, 0x48, 0xe2, 0x98, 0xeb, 0x47, 0x0e, 0x30, 0xbf, 0xaf, 0x63, 0x63, 0xe5,
    0x1b, 0x0f, 0x3c, 0x32, 0xbe, 0x71, 0x1a, 0x66, 0x11, 0xb5, 0x39, 0x33, 0x2e, 0x2e, 0xc4,
    0xa0, 0xfd, 0x15, 0xa1, 0xc1, 0x30, 0xba, 0xc5, 0x4b, 0x7c, 0x0f, 0xb0, 0x24, 0x99, 0x30,
    0xb2, 0xc9, 0xc4, 0xc5, 0xf3, 0x77, 0x7c, 0x23, 0xff, 0x66, 0x0d, 0x51, 0x5f, 0x8f, 0x23,
    0x1b, 0x49, 0x1c, 0xd5, 0x95, 0xc2, 0x90, 0x9c, 0xc6, 0xc1, 0x6e, 0x32, 0xdf};

/* SHA-256 of the plaintext. */
static const unsigned char kConfigSha256[32] = {
    0x29, 0xad, 0x1e, 0x36, 0xa6, 0xa2, 0x2f, 0x5e, 0x59, 0x8d, 0xd6, 0x26, 0x96, 0xdd, 0xa9,
    0x4e, 0xcf, 0xcc, 0x66, 0x64, 0x68, 0xfb, 0xd9, 0xe0, 0xb6, 0x4e, 0xcf, 0x8d, 0xfe, 0xcd,
    0x16, 0x52};

/* base64 of "mamori-b64-check" */
static const char kBase64[] = "bWFtb3JpLWI2NC1jaGVjaw==";

/* Decrypts kConfig into buf (size >= sizeof kConfig + 1); TRUE on success. */
static BOOL decrypt_config(char *buf) {
  HCRYPTPROV prov = 0;
  HCRYPTHASH hash = 0;
  HCRYPTKEY key = 0;
  BOOL ok = FALSE;
  DWORD len = sizeof kConfig;
  if (!CryptAcquireContextA(&prov, NULL, NULL, PROV_RSA_AES, CRYPT_VERIFYCONTEXT)) return FALSE;
  if (CryptCreateHash(prov, CALG_MD5, 0, 0, &hash) &&
      CryptHashData(hash, (const BYTE *)kPassphrase, lstrlenA(kPassphrase), 0) &&
      CryptDeriveKey(prov, CALG_RC4, hash, 128 << 16, &key)) {
    CopyMemory(buf, kConfig, sizeof kConfig);
    ok = CryptDecrypt(key, 0, TRUE, 0, (BYTE *)buf, &len) && len == sizeof kConfig;
    buf[len] = '\0';
  }
  if (key) CryptDestroyKey(key);
  if (hash) CryptDestroyHash(hash);
  CryptReleaseContext(prov, 0);
  return ok;
}

/* SHA-256 of data with BCrypt, compared with the expected digest. */
static BOOL sha256_matches(const void *data, DWORD len, const unsigned char *expected) {
  BCRYPT_ALG_HANDLE alg = NULL;
  BCRYPT_HASH_HANDLE hash = NULL;
  DWORD digest_len = 0, got = 0;
  unsigned char digest[32];
  BOOL ok = FALSE;
  if (!BCRYPT_SUCCESS(BCryptOpenAlgorithmProvider(&alg, BCRYPT_SHA256_ALGORITHM, NULL, 0))) return FALSE;
  if (BCRYPT_SUCCESS(BCryptGetProperty(alg, BCRYPT_HASH_LENGTH, (PUCHAR)&digest_len,
                                       sizeof digest_len, &got, 0)) &&
      digest_len == sizeof digest &&
      BCRYPT_SUCCESS(BCryptCreateHash(alg, &hash, NULL, 0, NULL, 0, 0)) &&
      BCRYPT_SUCCESS(BCryptHashData(hash, (PUCHAR)data, len, 0)) &&
      BCRYPT_SUCCESS(BCryptFinishHash(hash, digest, sizeof digest, 0))) {
    ok = memcmp(digest, expected, sizeof digest) == 0;
  }
  if (hash) BCryptDestroyHash(hash);
  BCryptCloseAlgorithmProvider(alg, 0);
  return ok;
}

static BOOL base64_matches(void) {
  BYTE out[32];
  DWORD len = 0;
  if (!CryptStringToBinaryA(kBase64, 0, CRYPT_STRING_BASE64, NULL, &len, NULL, NULL) || len != 16)
    return FALSE;
  len = sizeof out;
  if (!CryptStringToBinaryA(kBase64, 0, CRYPT_STRING_BASE64, out, &len, NULL, NULL) || len != 16)
    return FALSE;
  return memcmp(out, "mamori-b64-check", 16) == 0;
}

int main(void) {
  char config[sizeof kConfig + 1];
  if (!decrypt_config(config) || memcmp(config, "mamori-config:", 14) != 0) {
    sample_marker("crypto_config.txt", "crypto_config: decrypt failed");
    return 2;
  }
  sample_log(config);
  if (!sha256_matches(config, sizeof kConfig, kConfigSha256)) {
    sample_marker("crypto_config.txt", "crypto_config: sha256 mismatch");
    return 3;
  }
  if (!base64_matches()) {
    sample_marker("crypto_config.txt", "crypto_config: base64 mismatch");
    return 4;
  }
  sample_marker("crypto_config.txt", "crypto_config: all checks passed");
  return 0;
}
