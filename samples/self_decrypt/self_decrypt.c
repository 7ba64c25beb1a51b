/* self_decrypt — code that exists in the file only in encrypted form: at run time the sample
 * decrypts it into fresh memory, makes that memory executable and calls it. Crypters and most
 * loaders work this way, so static analysis of the file never sees the real code
 * (ATT&CK T1027.002 / T1140).
 *
 * The function `payload` sits alone in the section ".mpay". After linking, the build XORs that
 * section with kKey (`mamori-pack xor-section`, samples/packer/mamori_pack.c). At run time the
 * sample copies the section into VirtualAlloc'ed read-write memory, decrypts it, switches it to
 * read-execute with VirtualProtect, and calls the payload, which writes a marker file through
 * API pointers it is given (it is position independent: no globals, no string literals). */
#include "pe.h"
#include "sample.h"



/* Must match the key the build passes to `mamori-pack xor-section` (samples/CMakeLists.txt). */
static const char kKey[] = "mamori-self-decrypt";

typedef struct PayloadApi {
  HANDLE(WINAPI *create_file)(LPCSTR, DWORD, DWORD, LPSECURITY_ATTRIBUTES, DWORD, DWORD, HANDLE);
  BOOL(WINAPI *write_file)(HANDLE, LPCVOID, DWORD, LPDWORD, LPOVERLAPPED);
  BOOL(WINAPI *close_handle)(HANDLE);
  const char *path;
  const char *text;
  DWORD text_len;
} PayloadApi;

/* The encrypted code. Returns a magic value so the caller knows it really ran. */
__attribute__((section(".mpay"), noinline, noipa, used)) static DWORD payload(const PayloadApi *api) {
  HANDLE h = api->create_file(api->path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                              FILE_ATTRIBUTE_NORMAL, NULL);
  if (h == INVALID_HANDLE_VALUE) return 0;
  DWORD written;
  api->write_file(h, api->text, api->text_len, &written, NULL);
  api->close_handle(h);
  return 0x600DC0DE;
}

int main(void) {
  DWORD size, old;
  unsigned char *section = pe_section(__ImageBase, ".mpay", &size);
  if (!section) return 1;

  /* decrypt into new read-write memory */
  unsigned char *code = VirtualAlloc(NULL, size, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
  if (!code) return 2;
  for (DWORD i = 0; i < size; ++i) code[i] = section[i] ^ (unsigned char)kKey[i % (sizeof kKey - 1)];

  /* make it executable (RW -> RX) and call it */
  if (!VirtualProtect(code, size, PAGE_EXECUTE_READ, &old)) return 3;
  FlushInstructionCache(GetCurrentProcess(), code, size);
  DWORD (*decrypted)(const PayloadApi *) =
      (DWORD(*)(const PayloadApi *))(code + ((unsigned char *)payload - section));

  char path[MAX_PATH];
  static const char text[] = "self_decrypt: decrypted payload ran\r\n";
  if (!sample_path(path, sizeof path, "self_decrypt.txt")) return 4;
  PayloadApi api = {CreateFileA, WriteFile, CloseHandle, path, text, sizeof text - 1};
  DWORD magic = decrypted(&api);
  sample_log(magic == 0x600DC0DE ? "self_decrypt: payload ran" : "self_decrypt: payload failed");
  VirtualFree(code, 0, MEM_RELEASE);
  return magic == 0x600DC0DE ? 0 : 5;
}
