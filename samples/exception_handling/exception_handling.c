/* exception_handling — exceptions as control flow, as packers and anti-debug code use them:
 *
 *  (a) a vectored handler catches the access violation of a write to address 0x10 and skips the
 *      faulting instruction by moving EIP/RIP past it (a `mov` of known length written as bytes),
 *      the way "decrypt on fault" stubs resume;
 *  (b) RaiseException(0xE0000001, …) with two arguments, caught by a second vectored handler
 *      that returns EXCEPTION_CONTINUE_EXECUTION;
 *  (c) frame-based SEH: on x86 a hand-made FS:[0] record (push handler; push fs:[0];
 *      mov fs:[0], esp) around an int3, whose handler steps EIP over it; on x64 a mingw-w64
 *      __try1/__except1 scope (__C_specific_handler, .pdata/.xdata) around a ud2, whose filter
 *      returns EXCEPTION_EXECUTE_HANDLER.
 *
 * The marker file is written only when every handler ran and saw what it should. */
#include "sample.h"

#include <excpt.h>

static volatile LONG g_av_skipped, g_raised, g_seh;

#ifdef _WIN64
#define AV_INSN_LENGTH 11 /* c7 04 25 10 00 00 00 01 00 00 00: movl $1, 0x10 */
#else
#define AV_INSN_LENGTH 10 /* c7 05 10 00 00 00 01 00 00 00: movl $1, 0x10 */
#endif

static LONG CALLBACK av_handler(EXCEPTION_POINTERS *p) {
  EXCEPTION_RECORD *r = p->ExceptionRecord;
  if (r->ExceptionCode != EXCEPTION_ACCESS_VIOLATION || r->NumberParameters < 2 ||
      r->ExceptionInformation[0] != 1 || r->ExceptionInformation[1] != 0x10) {
    return EXCEPTION_CONTINUE_SEARCH;
  }
#ifdef _WIN64
  p->ContextRecord->Rip += AV_INSN_LENGTH;
#else
  p->ContextRecord->Eip += AV_INSN_LENGTH;
#endif
  g_av_skipped++;
  return EXCEPTION_CONTINUE_EXECUTION;
}

static LONG CALLBACK raise_handler(EXCEPTION_POINTERS *p) {
  EXCEPTION_RECORD *r = p->ExceptionRecord;
  if (r->ExceptionCode != 0xE0000001) return EXCEPTION_CONTINUE_SEARCH;
  if (r->NumberParameters == 2 && r->ExceptionInformation[0] == 0x1234 &&
      r->ExceptionInformation[1] == 0x5678) {
    g_raised++;
  }
  return EXCEPTION_CONTINUE_EXECUTION;
}

static void write_to_0x10(void) {
#ifdef _WIN64
  __asm__ volatile(".byte 0xc7, 0x04, 0x25, 0x10, 0, 0, 0, 1, 0, 0, 0" ::: "memory");
#else
  __asm__ volatile(".byte 0xc7, 0x05, 0x10, 0, 0, 0, 1, 0, 0, 0" ::: "memory");
#endif
}

#ifdef _WIN64
/* The __try1 filter: called by __C_specific_handler with (EXCEPTION_POINTERS *, frame). */
__attribute__((used)) LONG seh_filter(EXCEPTION_POINTERS *p, void *frame) {
  if (p->ExceptionRecord->ExceptionCode != EXCEPTION_ILLEGAL_INSTRUCTION) {
    return EXCEPTION_CONTINUE_SEARCH;
  }
  g_seh++;
  return EXCEPTION_EXECUTE_HANDLER;
}

__attribute__((noinline)) static void guarded_ud2(void) {
  __try1(seh_filter)
  __asm__ volatile("ud2" ::: "memory", "rax", "rcx", "rdx", "r8", "r9", "r10", "r11");
  __except1
}
#else
static EXCEPTION_DISPOSITION __cdecl seh_handler(EXCEPTION_RECORD *r, void *frame, CONTEXT *ctx,
                                                 void *dispatcher) {
  if (r->ExceptionCode != EXCEPTION_BREAKPOINT) return ExceptionContinueSearch;
  ctx->Eip += 1; /* Windows reports an int3 at the instruction itself */
  g_seh++;
  return ExceptionContinueExecution;
}

__attribute__((noinline)) static void guarded_int3(void) {
  __asm__ volatile(
      "pushl %0\n\t"
      "pushl %%fs:0\n\t"
      "movl %%esp, %%fs:0\n\t"
      "int3\n\t"
      "movl (%%esp), %%eax\n\t"
      "movl %%eax, %%fs:0\n\t"
      "addl $8, %%esp\n\t"
      :
      : "r"(seh_handler)
      : "eax", "memory");
}
#endif

int main(void) {
  PVOID first = AddVectoredExceptionHandler(1, av_handler);
  PVOID second = AddVectoredExceptionHandler(0, raise_handler);
  if (!first || !second) return 1;

  write_to_0x10();

  ULONG_PTR args[2] = {0x1234, 0x5678};
  RaiseException(0xE0000001, 0, 2, args);

#ifdef _WIN64
  guarded_ud2();
#else
  guarded_int3();
#endif

  RemoveVectoredExceptionHandler(second);
  RemoveVectoredExceptionHandler(first);

  BOOL all = g_av_skipped == 1 && g_raised == 1 && g_seh == 1;
  if (all) {
    sample_marker("exception_handling.txt",
                  "exception_handling: vectored handlers and SEH all ran\r\n");
  } else {
    sample_log("exception_handling: a handler did not run");
  }
  return all ? 0 : 2;
}
