/* mamori-pack — the corpus's own packer (UPX is not in Debian 12), and the post-link encryption
 * step of self_decrypt. A host tool, built by CMake with the host compiler.
 *
 *   mamori-pack pack STUB.exe INPUT.exe OUTPUT.exe
 *     Compresses INPUT (LZSS, below), encrypts it with RC4 under a key derived from its contents,
 *     and writes OUTPUT = STUB plus one new section ".mpk" holding
 *       PackHeader { "MPK1", raw size, packed size, 16-byte key } + packed bytes.
 *     STUB (stub.c, built with mingw for the same architecture) finds that section at run time,
 *     decrypts, decompresses, maps and runs the program in memory.
 *
 *   mamori-pack xor-section FILE SECTION KEY
 *     XORs the file bytes of SECTION in place with the bytes of KEY, repeated.
 *
 * LZSS format (stub.c decodes it): groups of one flag byte followed by 8 items; flag bit i
 * (least significant first) set = a literal byte, clear = a match of two bytes
 * [d & 0xff][(d >> 8) << 4 | (len - 3)], copying len (3..18) bytes from distance d + 1 (1..4096)
 * back. Our own code rather than zlib so the stub stays tiny and needs no library; speed is
 * irrelevant at the corpus's sizes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { kWindow = 4096, kMinMatch = 3, kMaxMatch = 18 };

typedef struct Buffer {
  uint8_t *data;
  size_t size, cap;
} Buffer;

static void die(const char *what, const char *detail) {
  fprintf(stderr, "mamori-pack: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
  exit(1);
}

static void put(Buffer *b, uint8_t byte) {
  if (b->size == b->cap) {
    b->cap = b->cap ? b->cap * 2 : 4096;
    b->data = realloc(b->data, b->cap);
    if (!b->data) die("out of memory", NULL);
  }
  b->data[b->size++] = byte;
}

static Buffer read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) die("cannot open", path);
  Buffer b = {0};
  int c;
  while ((c = getc(f)) != EOF) put(&b, (uint8_t)c);
  fclose(f);
  return b;
}

static void write_file(const char *path, const Buffer *b) {
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(b->data, 1, b->size, f) != b->size || fclose(f) != 0) die("cannot write", path);
}

static uint32_t rd32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static void wr32(uint8_t *p, uint32_t v) { p[0] = v, p[1] = v >> 8, p[2] = v >> 16, p[3] = v >> 24; }
static void wr16(uint8_t *p, uint16_t v) { p[0] = v, p[1] = v >> 8; }
static uint32_t align_up(uint32_t v, uint32_t a) { return (v + a - 1) / a * a; }

/* --- PE headers (offsets are the same in PE32 and PE32+ for the fields used) ---------------- */
typedef struct Pe {
  uint8_t *file_header, *optional, *sections;
  uint16_t machine, nsections;
} Pe;

static Pe parse_pe(const Buffer *b, const char *name) {
  Pe pe;
  if (b->size < 0x40 || b->data[0] != 'M' || b->data[1] != 'Z') die("not a PE file", name);
  uint32_t lfanew = rd32(b->data + 0x3c);
  if ((uint64_t)lfanew + 24 > b->size || memcmp(b->data + lfanew, "PE\0\0", 4) != 0)
    die("not a PE file", name);
  pe.file_header = b->data + lfanew + 4;
  pe.machine = rd16(pe.file_header);
  pe.nsections = rd16(pe.file_header + 2);
  pe.optional = pe.file_header + 20;
  pe.sections = pe.optional + rd16(pe.file_header + 16);
  if ((size_t)(pe.sections - b->data) + (size_t)pe.nsections * 40 > b->size)
    die("truncated section table", name);
  return pe;
}

/* --- LZSS ----------------------------------------------------------------------------------- */
static Buffer lzss_compress(const Buffer *in) {
  Buffer out = {0};
  size_t pos = 0, flag_at = 0;
  int item = 8;
  while (pos < in->size) {
    if (item == 8) {
      flag_at = out.size;
      put(&out, 0);
      item = 0;
    }
    size_t best_len = 0, best_dist = 0;
    size_t start = pos > kWindow ? pos - kWindow : 0;
    for (size_t cand = start; cand < pos; ++cand) {
      size_t len = 0;
      while (len < kMaxMatch && pos + len < in->size && in->data[cand + len] == in->data[pos + len])
        ++len;
      if (len > best_len) best_len = len, best_dist = pos - cand;
      if (len == kMaxMatch) break;
    }
    if (best_len >= kMinMatch) {
      size_t d = best_dist - 1;
      put(&out, (uint8_t)(d & 0xff));
      put(&out, (uint8_t)((d >> 8) << 4 | (best_len - kMinMatch)));
      pos += best_len;
    } else {
      out.data[flag_at] |= (uint8_t)(1u << item);
      put(&out, in->data[pos++]);
    }
    ++item;
  }
  return out;
}

/* --- RC4 ------------------------------------------------------------------------------------ */
static void rc4(const uint8_t *key, size_t key_len, uint8_t *data, size_t n) {
  uint8_t s[256];
  for (int i = 0; i < 256; ++i) s[i] = (uint8_t)i;
  for (int i = 0, j = 0; i < 256; ++i) {
    j = (j + s[i] + key[i % key_len]) & 255;
    uint8_t t = s[i];
    s[i] = s[j], s[j] = t;
  }
  for (size_t k = 0, i = 0, j = 0; k < n; ++k) {
    i = (i + 1) & 255;
    j = (j + s[i]) & 255;
    uint8_t t = s[i];
    s[i] = s[j], s[j] = t;
    data[k] ^= s[(s[i] + s[j]) & 255];
  }
}

static int pack(const char *stub_path, const char *input_path, const char *output_path) {
  Buffer stub = read_file(stub_path), input = read_file(input_path);
  Pe in_pe = parse_pe(&input, input_path);
  Pe pe = parse_pe(&stub, stub_path);
  if (in_pe.machine != pe.machine) die("stub and input are for different machines", input_path);

  /* payload: header + RC4(LZSS(input)); the key depends on the input (FNV-1a) so builds are
   * reproducible */
  Buffer packed = lzss_compress(&input);
  uint8_t key[16];
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < input.size; ++i) h = (h ^ input.data[i]) * 16777619u;
  for (int i = 0; i < 16; ++i) key[i] = (uint8_t)("mamori-pack-key!"[i] ^ (h >> (i % 4 * 8)));
  rc4(key, sizeof key, packed.data, packed.size);
  Buffer blob = {0};
  for (int i = 0; i < 28; ++i) put(&blob, 0);
  memcpy(blob.data, "MPK1", 4);
  wr32(blob.data + 4, (uint32_t)input.size);
  wr32(blob.data + 8, (uint32_t)packed.size);
  memcpy(blob.data + 12, key, 16);
  for (size_t i = 0; i < packed.size; ++i) put(&blob, packed.data[i]);

  /* append the section ".mpk" to the stub */
  uint32_t section_align = rd32(pe.optional + 32), file_align = rd32(pe.optional + 36);
  uint32_t headers_size = rd32(pe.optional + 60);
  uint8_t *new_header = pe.sections + (size_t)pe.nsections * 40;
  if ((size_t)(new_header + 40 - stub.data) > headers_size) die("no room for a section header", stub_path);
  uint32_t end_va = 0, end_raw = 0;
  for (int i = 0; i < pe.nsections; ++i) {
    uint8_t *s = pe.sections + i * 40;
    uint32_t va_end = rd32(s + 12) + align_up(rd32(s + 8), section_align);
    uint32_t raw_end = rd32(s + 20) + rd32(s + 16);
    if (va_end > end_va) end_va = va_end;
    if (raw_end > end_raw) end_raw = raw_end;
  }
  if (end_raw > stub.size) die("stub sections extend past its end", stub_path);
  for (int i = 0; i < 40; ++i) if (new_header[i]) die("space after the section table is not empty", stub_path);
  uint32_t va = align_up(end_va, section_align), raw = align_up(end_raw, file_align);
  uint32_t raw_size = align_up((uint32_t)blob.size, file_align);
  memcpy(new_header, ".mpk\0\0\0\0", 8);
  wr32(new_header + 8, (uint32_t)blob.size);            /* VirtualSize */
  wr32(new_header + 12, va);                            /* VirtualAddress */
  wr32(new_header + 16, raw_size);                      /* SizeOfRawData */
  wr32(new_header + 20, raw);                           /* PointerToRawData */
  wr32(new_header + 36, 0x40000040u);                   /* initialized data, readable */
  wr16(pe.file_header + 2, (uint16_t)(pe.nsections + 1));
  wr32(pe.optional + 56, align_up(va + (uint32_t)blob.size, section_align)); /* SizeOfImage */
  wr32(pe.optional + 64, 0);                            /* CheckSum */

  stub.size = end_raw; /* drop any overlay */
  while (stub.size < raw) put(&stub, 0);
  for (size_t i = 0; i < blob.size; ++i) put(&stub, blob.data[i]);
  while (stub.size < (size_t)raw + raw_size) put(&stub, 0);
  write_file(output_path, &stub);
  printf("mamori-pack: %s: %zu bytes -> %zu compressed (%.0f%%), %s: %zu bytes\n", input_path,
         input.size, packed.size, 100.0 * packed.size / input.size, output_path, stub.size);
  free(stub.data), free(input.data), free(packed.data), free(blob.data); /* for LeakSanitizer */
  return 0;
}

static int xor_section(const char *path, const char *section, const char *key) {
  Buffer b = read_file(path);
  Pe pe = parse_pe(&b, path);
  size_t key_len = strlen(key), name_len = strlen(section);
  if (key_len == 0 || name_len > 8) die("bad key or section name", section);
  for (int i = 0; i < pe.nsections; ++i) {
    uint8_t *s = pe.sections + i * 40;
    if (memcmp(s, section, name_len) != 0 || (name_len < 8 && s[name_len] != 0)) continue;
    uint32_t size = rd32(s + 8) < rd32(s + 16) ? rd32(s + 8) : rd32(s + 16);
    uint32_t at = rd32(s + 20);
    if ((uint64_t)at + size > b.size) die("section outside the file", section);
    for (uint32_t k = 0; k < size; ++k) b.data[at + k] ^= (uint8_t)key[k % key_len];
    write_file(path, &b);
    free(b.data);
    return 0;
  }
  die("no such section", section);
  return 1;
}

int main(int argc, char **argv) {
  if (argc == 5 && strcmp(argv[1], "pack") == 0) return pack(argv[2], argv[3], argv[4]);
  if (argc == 5 && strcmp(argv[1], "xor-section") == 0) return xor_section(argv[2], argv[3], argv[4]);
  fprintf(stderr,
          "usage: mamori-pack pack STUB.exe INPUT.exe OUTPUT.exe\n"
          "       mamori-pack xor-section FILE SECTION KEY\n");
  return 2;
}
