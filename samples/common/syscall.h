/* Shared parts of the samples that make their own system calls (x64 only), the way SysWhispers
 * and Hell's Gate loaders evade user-mode hooks in ntdll:
 *   - direct_stub: `mov r10, rcx; mov eax, g_ssn; syscall; ret` — the system call comes from the
 *     sample's own code;
 *   - indirect_stub: the same, but jumping to ntdll's own `syscall` instruction (g_syscall_insn),
 *     so the kernel transition comes from inside ntdll;
 *   - read_stub: the number in an unhooked ntdll stub (4C 8B D1 B8 <n>) and where its
 *     `syscall; ret` is. */
#ifndef MAMORI_SAMPLE_SYSCALL_H_
#define MAMORI_SAMPLE_SYSCALL_H_

#include <windows.h>

#ifdef _WIN64
/* The system-call number the next stub call uses, and (indirect) where ntdll's `syscall` is. */
DWORD g_ssn;
void *g_syscall_insn;
void direct_stub(void);
void indirect_stub(void);
__asm__(".text\n"
        ".globl direct_stub\n"
        "direct_stub:\n"
        "  mov %rcx, %r10\n"
        "  mov g_ssn(%rip), %eax\n"
        "  syscall\n"
        "  ret\n"
        ".globl indirect_stub\n"
        "indirect_stub:\n"
        "  mov %rcx, %r10\n"
        "  mov g_ssn(%rip), %eax\n"
        "  jmp *g_syscall_insn(%rip)\n");

/* FALSE when the stub does not look like an unhooked Windows 10 one. */
static BOOL read_stub(const unsigned char *stub, DWORD *ssn, void **syscall_insn) {
  if (!stub || stub[0] != 0x4C || stub[1] != 0x8B || stub[2] != 0xD1 || stub[3] != 0xB8)
    return FALSE;
  *ssn = *(const DWORD *)(stub + 4);
  for (int i = 8; i < 32; ++i) {
    if (stub[i] == 0x0F && stub[i + 1] == 0x05 && stub[i + 2] == 0xC3) {
      *syscall_insn = (void *)(stub + i);
      return TRUE;
    }
  }
  return FALSE;
}
#endif

#endif /* MAMORI_SAMPLE_SYSCALL_H_ */
