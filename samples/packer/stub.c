/* The packer stub (built as packer_stub.<arch>.exe; mamori_pack.c appends the packed program to
 * it as the section ".mpk"). It does what UPX-style packers and crypters do at run time
 * (ATT&CK T1027.002): decrypt (RC4) and decompress (LZSS) the real program in memory, map it
 * like the Windows loader — sections, base relocations, imports through LoadLibraryA and
 * GetProcAddress, section protections, TLS callbacks — make the PEB point at it, and jump to its
 * entry point. The real program never touches the disk.
 *
 * Built without a C runtime: the only imports are kernel32's, and everything else is here or in
 * common/pe.h. */
#include "pe.h"

typedef struct PackHeader {
  char magic[4]; /* "MPK1" */
  DWORD raw_size, packed_size;
  BYTE key[16];
} PackHeader;

static void rc4(const BYTE *key, DWORD key_len, BYTE *data, DWORD n) {
  BYTE s[256];
  for (int i = 0; i < 256; ++i) s[i] = (BYTE)i;
  for (int i = 0, j = 0; i < 256; ++i) {
    j = (j + s[i] + key[i % key_len]) & 255;
    BYTE t = s[i];
    s[i] = s[j], s[j] = t;
  }
  for (DWORD k = 0, i = 0, j = 0; k < n; ++k) {
    i = (i + 1) & 255;
    j = (j + s[i]) & 255;
    BYTE t = s[i];
    s[i] = s[j], s[j] = t;
    data[k] ^= s[(s[i] + s[j]) & 255];
  }
}

/* LZSS as written by mamori_pack.c; FALSE on malformed input. */
static BOOL lzss_decompress(const BYTE *in, DWORD in_size, BYTE *out, DWORD out_size) {
  DWORD ip = 0, op = 0;
  while (op < out_size) {
    if (ip >= in_size) return FALSE;
    BYTE flags = in[ip++];
    for (int item = 0; item < 8 && op < out_size; ++item) {
      if (flags & (1u << item)) {
        if (ip >= in_size) return FALSE;
        out[op++] = in[ip++];
      } else {
        if (ip + 2 > in_size) return FALSE;
        DWORD d = in[ip] | (DWORD)(in[ip + 1] >> 4) << 8, len = (in[ip + 1] & 15u) + 3;
        ip += 2;
        if (d + 1 > op || op + len > out_size) return FALSE;
        for (DWORD k = 0; k < len; ++k, ++op) out[op] = out[op - d - 1];
      }
    }
  }
  return TRUE;
}

static BOOL resolve_imports(BYTE *base, IMAGE_NT_HEADERS *nt) {
  IMAGE_DATA_DIRECTORY dir = nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT];
  if (dir.Size == 0) return TRUE;
  for (IMAGE_IMPORT_DESCRIPTOR *d = (IMAGE_IMPORT_DESCRIPTOR *)(base + dir.VirtualAddress);
       d->Name; ++d) {
    HMODULE module = LoadLibraryA((const char *)(base + d->Name));
    if (!module) return FALSE;
    IMAGE_THUNK_DATA *lookup = (IMAGE_THUNK_DATA *)(base + (d->OriginalFirstThunk
                                                                ? d->OriginalFirstThunk
                                                                : d->FirstThunk));
    IMAGE_THUNK_DATA *iat = (IMAGE_THUNK_DATA *)(base + d->FirstThunk);
    for (; lookup->u1.AddressOfData; ++lookup, ++iat) {
      FARPROC fn;
      if (IMAGE_SNAP_BY_ORDINAL(lookup->u1.Ordinal)) {
        fn = GetProcAddress(module, (LPCSTR)(ULONG_PTR)IMAGE_ORDINAL(lookup->u1.Ordinal));
      } else {
        IMAGE_IMPORT_BY_NAME *by_name = (IMAGE_IMPORT_BY_NAME *)(base + lookup->u1.AddressOfData);
        fn = GetProcAddress(module, (LPCSTR)by_name->Name);
      }
      if (!fn) return FALSE;
      iat->u1.Function = (ULONG_PTR)fn;
    }
  }
  return TRUE;
}

/* Gives each section the protection its characteristics ask for (headers read-only). */
static void protect_sections(BYTE *base, IMAGE_NT_HEADERS *nt) {
  DWORD old;
  VirtualProtect(base, nt->OptionalHeader.SizeOfHeaders, PAGE_READONLY, &old);
  IMAGE_SECTION_HEADER *sec = IMAGE_FIRST_SECTION(nt);
  DWORD align = nt->OptionalHeader.SectionAlignment;
  for (WORD i = 0; i < nt->FileHeader.NumberOfSections; ++i, ++sec) {
    DWORD c = sec->Characteristics, size = (sec->Misc.VirtualSize + align - 1) / align * align;
    if (size == 0) continue;
    BOOL x = (c & IMAGE_SCN_MEM_EXECUTE) != 0, w = (c & IMAGE_SCN_MEM_WRITE) != 0;
    DWORD prot = x ? (w ? PAGE_EXECUTE_READWRITE : PAGE_EXECUTE_READ) : (w ? PAGE_READWRITE : PAGE_READONLY);
    VirtualProtect(base + sec->VirtualAddress, size, prot, &old);
  }
  FlushInstructionCache(GetCurrentProcess(), base, nt->OptionalHeader.SizeOfImage);
}

/* PEB->ImageBaseAddress, so that GetModuleHandle(NULL) in the unpacked program means itself. */
static void set_peb_image_base(void *base) {
  BYTE *peb;
#ifdef _WIN64
  __asm__("movq %%gs:0x60, %0" : "=r"(peb));
  *(void **)(peb + 0x10) = base;
#else
  __asm__("movl %%fs:0x30, %0" : "=r"(peb));
  *(void **)(peb + 0x08) = base;
#endif
}

static UINT run(void) {
  DWORD blob_size;
  const BYTE *blob = pe_section(__ImageBase, ".mpk", &blob_size);
  const PackHeader *hdr = (const PackHeader *)blob;
  if (!blob || blob_size < sizeof *hdr || hdr->magic[0] != 'M' || hdr->magic[1] != 'P' ||
      hdr->magic[2] != 'K' || hdr->magic[3] != '1' ||
      hdr->packed_size > blob_size - sizeof *hdr)
    return 0x10;

  /* decrypt, then decompress */
  BYTE *packed = VirtualAlloc(NULL, hdr->packed_size, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
  BYTE *file = VirtualAlloc(NULL, hdr->raw_size, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
  if (!packed || !file) return 0x11;
  pe_copy(packed, blob + sizeof *hdr, hdr->packed_size);
  rc4(hdr->key, sizeof hdr->key, packed, hdr->packed_size);
  if (!lzss_decompress(packed, hdr->packed_size, file, hdr->raw_size)) return 0x12;
  VirtualFree(packed, 0, MEM_RELEASE);

  /* map: at the preferred base if free, anywhere otherwise (then relocate) */
  IMAGE_NT_HEADERS *nt = pe_nt(file, hdr->raw_size);
  if (!nt) return 0x13;
  SIZE_T image_size = nt->OptionalHeader.SizeOfImage;
  BYTE *base = VirtualAlloc((void *)nt->OptionalHeader.ImageBase, image_size,
                            MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
  if (!base) base = VirtualAlloc(NULL, image_size, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
  if (!base) return 0x14;
  if (!pe_layout(file, hdr->raw_size, base) || !pe_relocate(base, (ULONG_PTR)base)) return 0x15;
  VirtualFree(file, 0, MEM_RELEASE);
  nt = pe_nt(base, image_size);
  if (!resolve_imports(base, nt)) return 0x16;

#ifdef _WIN64
  /* unwind data, so exceptions in the program can be dispatched */
  IMAGE_DATA_DIRECTORY pdata = nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXCEPTION];
  if (pdata.Size)
    RtlAddFunctionTable((PRUNTIME_FUNCTION)(base + pdata.VirtualAddress),
                        pdata.Size / sizeof(RUNTIME_FUNCTION), (DWORD64)base);
#endif
  protect_sections(base, nt);
  set_peb_image_base(base);

  /* TLS callbacks, then the entry point */
  IMAGE_DATA_DIRECTORY tls = nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_TLS];
  if (tls.Size) {
    IMAGE_TLS_DIRECTORY *t = (IMAGE_TLS_DIRECTORY *)(base + tls.VirtualAddress);
    for (PIMAGE_TLS_CALLBACK *cb = (PIMAGE_TLS_CALLBACK *)t->AddressOfCallBacks; cb && *cb; ++cb)
      (*cb)(base, DLL_PROCESS_ATTACH, NULL);
  }
  void (*entry)(void) = (void (*)(void))(base + nt->OptionalHeader.AddressOfEntryPoint);
  entry(); /* a C runtime entry point ends the process itself */
  return 0;
}

void WINAPI stub_start(void) __asm__("sample_entry");
void WINAPI stub_start(void) {
  ExitProcess(run());
}
