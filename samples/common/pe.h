/* Minimal PE helpers shared by the samples that handle images themselves: finding a section
 * of the running module (self_decrypt and the injection samples copy code out of their own
 * sections), and laying out + relocating an image in memory (process_hollowing and the packer
 * stub). They use no C runtime, so the packer stub, built without one, can include them.
 * The image handled is always of the sample's own architecture (IMAGE_NT_HEADERS is the 32- or
 * 64-bit form depending on the compiler). */
#ifndef MAMORI_SAMPLE_PE_H_
#define MAMORI_SAMPLE_PE_H_

#include <windows.h>

/* The module this code is linked into (provided by the linker). An array of unknown size, so
 * that reading its PE headers is not "outside the bounds" of a 64-byte DOS header. */
extern unsigned char __ImageBase[];

static void pe_copy(void *dst, const void *src, SIZE_T n) {
  volatile unsigned char *d = dst; /* volatile: keep gcc from turning this into memcpy() */
  const unsigned char *s = src;
  while (n--) *d++ = *s++;
}

static void pe_zero(void *dst, SIZE_T n) {
  volatile unsigned char *d = dst;
  while (n--) *d++ = 0;
}

/* The NT headers of an image (file layout or mapped), or NULL when it is not a PE of our
 * architecture. */
static IMAGE_NT_HEADERS *pe_nt(const void *image, SIZE_T size) {
  const IMAGE_DOS_HEADER *dos = image;
  if (size < sizeof *dos || dos->e_magic != IMAGE_DOS_SIGNATURE) return NULL;
  if ((SIZE_T)dos->e_lfanew + sizeof(IMAGE_NT_HEADERS) > size) return NULL;
  IMAGE_NT_HEADERS *nt = (IMAGE_NT_HEADERS *)((const unsigned char *)image + dos->e_lfanew);
  if (nt->Signature != IMAGE_NT_SIGNATURE) return NULL;
  if (nt->OptionalHeader.Magic != IMAGE_NT_OPTIONAL_HDR_MAGIC) return NULL;
  return nt;
}

/* The named section of a module loaded in this process, e.g. pe_section(__ImageBase, ".inj"). */
static unsigned char *pe_section(const void *module, const char *name, DWORD *size) {
  IMAGE_NT_HEADERS *nt = pe_nt(module, 4096);
  if (!nt) return NULL;
  IMAGE_SECTION_HEADER *sec = IMAGE_FIRST_SECTION(nt);
  for (WORD i = 0; i < nt->FileHeader.NumberOfSections; ++i, ++sec) {
    int j = 0;
    for (; j < IMAGE_SIZEOF_SHORT_NAME; ++j) {
      if (sec->Name[j] != (BYTE)name[j] || name[j] == 0) break;
    }
    if (j == IMAGE_SIZEOF_SHORT_NAME || (name[j] == 0 && sec->Name[j] == 0)) {
      *size = sec->Misc.VirtualSize;
      return (unsigned char *)module + sec->VirtualAddress;
    }
  }
  return NULL;
}

/* Lays a PE file out as the loader would (headers, then each section at its RVA) into dest,
 * which holds SizeOfImage bytes. FALSE when a section lies outside the file or the image. */
static BOOL pe_layout(const unsigned char *file, SIZE_T file_size, unsigned char *dest) {
  IMAGE_NT_HEADERS *nt = pe_nt(file, file_size);
  if (!nt) return FALSE;
  SIZE_T image_size = nt->OptionalHeader.SizeOfImage;
  if (nt->OptionalHeader.SizeOfHeaders > file_size || nt->OptionalHeader.SizeOfHeaders > image_size)
    return FALSE;
  pe_zero(dest, image_size);
  pe_copy(dest, file, nt->OptionalHeader.SizeOfHeaders);
  IMAGE_SECTION_HEADER *sec = IMAGE_FIRST_SECTION(nt);
  for (WORD i = 0; i < nt->FileHeader.NumberOfSections; ++i, ++sec) {
    SIZE_T raw = sec->SizeOfRawData;
    if (raw > sec->Misc.VirtualSize && sec->Misc.VirtualSize) raw = sec->Misc.VirtualSize;
    if (raw == 0) continue;
    if ((SIZE_T)sec->PointerToRawData + raw > file_size ||
        (SIZE_T)sec->VirtualAddress + raw > image_size)
      return FALSE;
    pe_copy(dest + sec->VirtualAddress, file + sec->PointerToRawData, raw);
  }
  return TRUE;
}

/* Applies the base relocations of a laid-out image so that it runs at load_address (which may
 * differ from where `image` sits in our memory, as in process hollowing). */
static BOOL pe_relocate(unsigned char *image, ULONG_PTR load_address) {
  IMAGE_NT_HEADERS *nt = pe_nt(image, 4096);
  if (!nt) return FALSE;
  ULONG_PTR delta = load_address - (ULONG_PTR)nt->OptionalHeader.ImageBase;
  if (delta == 0) return TRUE;
  IMAGE_DATA_DIRECTORY dir = nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_BASERELOC];
  if (dir.Size == 0) return FALSE; /* cannot move an image without relocations */
  unsigned char *p = image + dir.VirtualAddress, *end = p + dir.Size;
  while (p + sizeof(IMAGE_BASE_RELOCATION) <= end) {
    IMAGE_BASE_RELOCATION *block = (IMAGE_BASE_RELOCATION *)p;
    if (block->SizeOfBlock < sizeof *block) break;
    WORD *entry = (WORD *)(block + 1);
    DWORD count = (block->SizeOfBlock - sizeof *block) / sizeof(WORD);
    for (DWORD i = 0; i < count; ++i) {
      unsigned char *at = image + block->VirtualAddress + (entry[i] & 0xfff);
      switch (entry[i] >> 12) {
        case IMAGE_REL_BASED_HIGHLOW: *(DWORD *)at += (DWORD)delta; break;
        case IMAGE_REL_BASED_DIR64: *(ULONGLONG *)at += (ULONGLONG)delta; break;
        default: break; /* IMAGE_REL_BASED_ABSOLUTE pads a block */
      }
    }
    p += block->SizeOfBlock;
  }
  nt->OptionalHeader.ImageBase = load_address;
  return TRUE;
}

#endif /* MAMORI_SAMPLE_PE_H_ */
