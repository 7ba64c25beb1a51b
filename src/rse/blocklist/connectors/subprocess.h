// RunProcess: run a program with an argument vector (no shell), capture its output, bound its
// run time. Used by the connectors to drive device tools (unbound-control), by the response
// actuators (ipset, an RPZ reload command, an MTA fed a message on standard input) and by their
// tests (nft, unbound, dig). Each call owns its pipes and child; calls are thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace mamori::rse::blocklist::connectors {

struct ProcessResult {
  int exit_code = -1;  // the exit status, or 128 + signal number when a signal ended it
  std::string out;     // standard output
  std::string err;     // standard error
};

// Runs argv[0] (looked up in PATH when it has no '/') with `argv` and standard input from
// /dev/null. Output beyond 16 MiB per stream is dropped.
// Errors: kNotFound when the program does not exist, kTimeout (the process is killed) after
// `timeout`, kIo when it cannot be started. A non-zero exit is not an error: see exit_code.
Expected<ProcessResult> RunProcess(const std::vector<std::string>& argv,
                                   std::chrono::milliseconds timeout);

// As RunProcess, with `input` written to the program's standard input, which is then closed.
// A program that exits (or closes its input) before reading all of it is not an error: the rest
// is dropped and its exit status tells what happened. SIGPIPE is kept from the calling process.
Expected<ProcessResult> RunProcessWithInput(const std::vector<std::string>& argv,
                                            std::string_view input,
                                            std::chrono::milliseconds timeout);

// "prog arg1 'arg two'": argv as text for messages.
std::string ArgvText(const std::vector<std::string>& argv);

}  // namespace mamori::rse::blocklist::connectors
