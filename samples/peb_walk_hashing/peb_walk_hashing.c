/* peb_walk_hashing — API resolution without an import table, the way shellcode and many loaders
 * find their functions (ATT&CK T1106 / T1027.007): read the PEB from the TEB (fs:[0x30] on x86,
 * gs:[0x60] on x64), walk the loader's InLoadOrderModuleList to the module whose name hashes to
 * KERNEL32.DLL, then walk its export table and pick functions by the ROR-13 hash of their names
 * (the same hashes Metasploit's block_api uses, e.g. LoadLibraryA = 0xec0e4e8e).
 *
 * The program is linked without any C runtime or import library: its PE file imports nothing at
 * all. With the resolved functions it writes %TEMP%\mamori-sample\peb_walk_hashing.txt and exits
 * through a resolved ExitProcess. */
#include <windows.h>

/* The few loader structures we read (stable prefixes of the real ones). */
typedef struct LdrString {
  USHORT Length, MaximumLength;
  PWSTR Buffer;
} LdrString;
typedef struct LdrEntry {
  LIST_ENTRY InLoadOrderLinks;
  LIST_ENTRY InMemoryOrderLinks;
  LIST_ENTRY InInitializationOrderLinks;
  PVOID DllBase;
  PVOID EntryPoint;
  ULONG SizeOfImage;
  LdrString FullDllName;
  LdrString BaseDllName;
} LdrEntry;
typedef struct LdrData {
  ULONG Length;
  BOOLEAN Initialized;
  PVOID SsHandle;
  LIST_ENTRY InLoadOrderModuleList;
} LdrData;
typedef struct PebPrefix {
  BYTE InheritedAddressSpace, ReadImageFileExecOptions, BeingDebugged, BitField;
  PVOID Mutant;
  PVOID ImageBaseAddress;
  LdrData *Ldr;
} PebPrefix;

/* ROR-13 hashes of the names we need (computed offline). */
enum {
  kHashKernel32 = 0x6e2bca17,         /* "KERNEL32.DLL" (module names are upper-cased first) */
  kHashLoadLibraryA = 0xec0e4e8e,
  kHashGetProcAddress = 0x7c0dfcaa,
  kHashGetTempPathA = 0x5b8aca33,
  kHashCreateDirectoryA = 0x9fcf5965,
  kHashCreateFileA = 0x7c0017a5,
  kHashWriteFile = 0xe80a791f,
  kHashCloseHandle = 0x0ffd97fb,
  kHashExitProcess = 0x73e2d87e,
};

static DWORD ror13(DWORD h, BYTE c) { return ((h >> 13) | (h << 19)) + c; }

static DWORD hash_ascii(const char *s) {
  DWORD h = 0;
  while (*s) h = ror13(h, (BYTE)*s++);
  return h;
}

static PebPrefix *current_peb(void) {
  PebPrefix *peb;
#ifdef _WIN64
  __asm__("movq %%gs:0x60, %0" : "=r"(peb));
#else
  __asm__("movl %%fs:0x30, %0" : "=r"(peb));
#endif
  return peb;
}

/* The base of the loaded module whose upper-cased name hashes to `hash`, from the PEB. */
static BYTE *find_module(DWORD hash) {
  LIST_ENTRY *head = &current_peb()->Ldr->InLoadOrderModuleList;
  for (LIST_ENTRY *e = head->Flink; e != head; e = e->Flink) {
    LdrEntry *m = (LdrEntry *)e; /* InLoadOrderLinks is the first member */
    DWORD h = 0;
    for (USHORT i = 0; i < m->BaseDllName.Length / 2; ++i) {
      WCHAR c = m->BaseDllName.Buffer[i];
      h = ror13(h, (BYTE)(c >= 'a' && c <= 'z' ? c - 32 : c));
    }
    if (h == hash) return m->DllBase;
  }
  return NULL;
}

typedef HMODULE(WINAPI *LoadLibraryAFn)(LPCSTR);
typedef FARPROC(WINAPI *GetProcAddressFn)(HMODULE, LPCSTR);
static LoadLibraryAFn load_library;
static GetProcAddressFn get_proc_address;

/* The export of `module` whose name hashes to `hash`. A forwarded export ("NTDLL.RtlFoo") is
 * followed through LoadLibraryA + GetProcAddress once those two are known. */
static void *find_export(BYTE *module, DWORD hash) {
  IMAGE_NT_HEADERS *nt = (IMAGE_NT_HEADERS *)(module + ((IMAGE_DOS_HEADER *)module)->e_lfanew);
  IMAGE_DATA_DIRECTORY dir = nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT];
  IMAGE_EXPORT_DIRECTORY *exports = (IMAGE_EXPORT_DIRECTORY *)(module + dir.VirtualAddress);
  DWORD *names = (DWORD *)(module + exports->AddressOfNames);
  WORD *ordinals = (WORD *)(module + exports->AddressOfNameOrdinals);
  DWORD *functions = (DWORD *)(module + exports->AddressOfFunctions);
  for (DWORD i = 0; i < exports->NumberOfNames; ++i) {
    const char *name = (const char *)(module + names[i]);
    if (hash_ascii(name) != hash) continue;
    DWORD rva = functions[ordinals[i]];
    if (rva < dir.VirtualAddress || rva >= dir.VirtualAddress + dir.Size) return module + rva;
    /* forwarder: "DLL.Function" */
    if (!load_library || !get_proc_address) return NULL;
    const char *fwd = (const char *)(module + rva);
    char dll[64];
    int n = 0;
    while (fwd[n] && fwd[n] != '.' && n < 59) dll[n] = fwd[n], ++n;
    if (fwd[n] != '.') return NULL;
    dll[n] = '.', dll[n + 1] = 'd', dll[n + 2] = 'l', dll[n + 3] = 'l', dll[n + 4] = 0;
    return (void *)get_proc_address(load_library(dll), fwd + n + 1);
  }
  return NULL;
}

static void append(char *dst, const char *src) {
  while (*dst) ++dst;
  while ((*dst++ = *src++)) {
  }
}

void WINAPI sample_start(void) __asm__("sample_entry");
void WINAPI sample_start(void) {
  BYTE *k32 = find_module(kHashKernel32);
  if (!k32) return;
  load_library = (LoadLibraryAFn)find_export(k32, kHashLoadLibraryA);
  get_proc_address = (GetProcAddressFn)find_export(k32, kHashGetProcAddress);
  DWORD(WINAPI * get_temp_path)(DWORD, LPSTR) = find_export(k32, kHashGetTempPathA);
  BOOL(WINAPI * create_directory)(LPCSTR, LPSECURITY_ATTRIBUTES) =
      find_export(k32, kHashCreateDirectoryA);
  HANDLE(WINAPI * create_file)(LPCSTR, DWORD, DWORD, LPSECURITY_ATTRIBUTES, DWORD, DWORD, HANDLE) =
      find_export(k32, kHashCreateFileA);
  BOOL(WINAPI * write_file)(HANDLE, LPCVOID, DWORD, LPDWORD, LPOVERLAPPED) =
      find_export(k32, kHashWriteFile);
  BOOL(WINAPI * close_handle)(HANDLE) = find_export(k32, kHashCloseHandle);
  VOID(WINAPI * exit_process)(UINT) = find_export(k32, kHashExitProcess);
  if (!get_temp_path || !create_directory || !create_file || !write_file || !close_handle ||
      !exit_process)
    return;

  char path[MAX_PATH + 64];
  static const char text[] = "peb_walk_hashing: APIs resolved by hash through the PEB\r\n";
  if (get_temp_path(MAX_PATH, path) == 0) exit_process(1);
  append(path, "mamori-sample");
  create_directory(path, NULL);
  append(path, "\\peb_walk_hashing.txt");
  HANDLE h = create_file(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
  if (h != INVALID_HANDLE_VALUE) {
    DWORD written;
    write_file(h, text, sizeof text - 1, &written, NULL);
    close_handle(h);
  }
  exit_process(0);
}
