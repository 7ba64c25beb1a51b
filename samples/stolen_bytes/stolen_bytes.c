/* stolen_bytes — hook evasion by "stolen bytes" (the trampoline trick of Emotet, TrickBot and
 * the unhooking kits): an EDR hooks an API by overwriting its first instructions with a jump,
 * so the sample never enters the API at its top. It resolves CreateFileA, WriteFile and
 * RegSetValueExA, copies each one's first whole instructions (at least 5 bytes: what an inline
 * hook overwrites) into an executable trampoline of its own, follows them with a jump to the
 * API just behind those bytes, and calls the API through the trampoline.
 *
 * A tiny length decoder knows the prologues Windows has at these entries (x86: mov edi,edi;
 * push ebp; mov ebp,esp — x64: mov [rsp+8],rbx; push rdi; sub rsp,20h); on anything else the
 * sample calls the API directly, so it behaves the same on any system.
 *
 * Harmless: writes %TEMP%\mamori-sample\stolen_bytes.txt and the value
 * HKCU\Software\mamori-sample\stolen_bytes. */
#include "sample.h"

typedef HANDLE(WINAPI *CreateFileA_t)(LPCSTR, DWORD, DWORD, LPSECURITY_ATTRIBUTES, DWORD, DWORD,
                                      HANDLE);
typedef BOOL(WINAPI *WriteFile_t)(HANDLE, LPCVOID, DWORD, LPDWORD, LPOVERLAPPED);
typedef LONG(WINAPI *RegSetValueExA_t)(HKEY, LPCSTR, DWORD, DWORD, const BYTE *, DWORD);

/* Length of the instruction at p if it is one of the known prologue instructions, else 0. */
static DWORD prologue_insn_length(const unsigned char *p) {
  if (p[0] == 0x8B && (p[1] == 0xFF || p[1] == 0xEC)) return 2;             /* mov edi,edi / mov ebp,esp */
  if (p[0] == 0x55 || p[0] == 0x57 || p[0] == 0x53 || p[0] == 0x56) return 1; /* push reg */
#ifdef _WIN64
  if (p[0] == 0x48 && p[1] == 0x89 && p[2] == 0x5C && p[3] == 0x24) return 5; /* mov [rsp+d8],rbx */
  if (p[0] == 0x48 && p[1] == 0x83 && p[2] == 0xEC) return 4;                 /* sub rsp,imm8 */
  if (p[0] == 0x4C && p[1] == 0x8B && p[2] == 0xD1) return 3;                 /* mov r10,rcx */
#endif
  return 0;
}

/* Builds a trampoline for `api` that runs its first instructions (at least `min_bytes`) and
 * jumps behind them. Returns NULL when the prologue is not one it knows. *skipped = bytes run. */
static void *make_trampoline(unsigned char *slab, DWORD *used, void *api, DWORD min_bytes,
                             DWORD *skipped) {
  const unsigned char *code = (const unsigned char *)api;
  DWORD n = 0;
  while (n < min_bytes) {
    DWORD len = prologue_insn_length(code + n);
    if (len == 0) return NULL;
    n += len;
  }
  unsigned char *t = slab + *used;
  for (DWORD i = 0; i < n; ++i) t[i] = code[i];
  unsigned char *after = t + n;
#ifdef _WIN64
  /* jmp qword [rip+0]; dq api+n */
  after[0] = 0xFF; after[1] = 0x25; after[2] = after[3] = after[4] = after[5] = 0;
  *(ULONG_PTR *)(after + 6) = (ULONG_PTR)(code + n);
  *used += n + 14;
#else
  /* jmp rel32 */
  after[0] = 0xE9;
  *(LONG *)(after + 1) = (LONG)((code + n) - (after + 5));
  *used += n + 5;
#endif
  *used = (*used + 15) & ~15u;
  *skipped = n;
  return t;
}

int main(void) {
  HMODULE k32 = GetModuleHandleA("kernel32.dll");
  HMODULE adv = LoadLibraryA("advapi32.dll");
  void *create_file = (void *)GetProcAddress(k32, "CreateFileA");
  void *write_file = (void *)GetProcAddress(k32, "WriteFile");
  void *set_value = adv ? (void *)GetProcAddress(adv, "RegSetValueExA") : NULL;
  if (!create_file || !write_file || !set_value) return 1;

  unsigned char *slab = VirtualAlloc(NULL, 4096, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
  if (!slab) return 2;
  DWORD used = 0, skip_create = 0, skip_write = 0, skip_set = 0;
  void *t_create = make_trampoline(slab, &used, create_file, 5, &skip_create);
  void *t_write = make_trampoline(slab, &used, write_file, 5, &skip_write);
#ifdef _WIN64
  void *t_set = make_trampoline(slab, &used, set_value, 10, &skip_set); /* the whole frame setup */
#else
  void *t_set = make_trampoline(slab, &used, set_value, 3, &skip_set);  /* up to push ebp */
#endif
  DWORD old;
  if (!VirtualProtect(slab, 4096, PAGE_EXECUTE_READ, &old)) return 3;
  int through = (t_create != NULL) + (t_write != NULL) + (t_set != NULL);
  CreateFileA_t p_create = (CreateFileA_t)(t_create ? t_create : create_file);
  WriteFile_t p_write = (WriteFile_t)(t_write ? t_write : write_file);
  RegSetValueExA_t p_set = (RegSetValueExA_t)(t_set ? t_set : set_value);

  char msg[96] = "stolen_bytes: ? calls through trampolines (+? +? +?)";
  msg[14] = (char)('0' + through);
  msg[44] = (char)('0' + skip_create);
  msg[47] = (char)('0' + skip_write);
  msg[50] = (char)('0' + skip_set % 10);
  if (skip_set >= 10) { /* "+10": shift the closing parenthesis */
    msg[50] = '1'; msg[51] = (char)('0' + skip_set % 10); msg[52] = ')'; msg[53] = 0;
  }
  sample_log(msg);

  char path[MAX_PATH];
  if (!sample_path(path, sizeof path, "stolen_bytes.txt")) return 4;
  HANDLE h = p_create(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
  if (h == INVALID_HANDLE_VALUE) return 5;
  static const char text[] = "stolen_bytes: written through a trampoline\r\n";
  DWORD written = 0;
  BOOL ok = p_write(h, text, sizeof text - 1, &written, NULL);
  CloseHandle(h);

  HKEY key;
  if (RegCreateKeyExA(HKEY_CURRENT_USER, "Software\\mamori-sample", 0, NULL, 0, KEY_SET_VALUE, NULL,
                      &key, NULL) == ERROR_SUCCESS) {
    static const char value[] = "trampoline";
    p_set(key, "stolen_bytes", 0, REG_SZ, (const BYTE *)value, sizeof value);
    RegCloseKey(key);
  }
  return ok && written == sizeof text - 1 ? 0 : 6;
}
