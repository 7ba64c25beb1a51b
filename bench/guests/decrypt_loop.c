/* decrypt_loop — the compute-heavy guest of the emulator speed benchmark (bench/emulator_figures.sh,
 * docs/benchmarks.md "Issue 7"): what a packer's decryption stub does, an LCG-keyed XOR over a
 * 64 KiB buffer, 300 passes (about 157 M instructions on either architecture at -O2). It calls no
 * API inside the loop, so the figure measures the engine with the report's hooks on (block hook,
 * API trap range), not the API handlers. Never run natively by the project. */
#include <windows.h>

static unsigned char buffer[65536];

int main(void) {
  unsigned key = 0x1234567;
  for (int pass = 0; pass < 300; pass++) {
    for (int i = 0; i < (int)sizeof buffer; i++) {
      key = key * 1103515245u + 12345u;
      buffer[i] ^= (unsigned char)(key >> 16);
    }
  }
  return buffer[77];
}
