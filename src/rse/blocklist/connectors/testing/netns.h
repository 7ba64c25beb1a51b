// Test support: run code inside a fresh, empty network namespace, so tests and benchmarks of the
// nftables connector never touch the host's ruleset.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "core/error.h"

namespace mamori::rse::blocklist::testing {

// Enters a new network namespace in the calling process: unshare(CLONE_NEWNET), or, when that
// is not permitted, a new user namespace (the caller mapped to root) plus a network namespace.
// The process must be single-threaded for the user-namespace fallback. kUnsupported (with the
// reason) when neither works.
Status EnterNewNetns();

// Forks; the child enters a new network namespace (EnterNewNetns), runs `body` and sends back
// the string it returns, then exits without running the parent's exit handlers. Programs the
// child runs (nft) inherit the namespace. Errors: kUnsupported when no namespace could be
// created (tests skip), kTimeout (the child is killed), kInternal when the child crashed.
Expected<std::string> RunInNewNetns(const std::function<std::string()>& body,
                                    std::chrono::seconds timeout = std::chrono::seconds(120));

}  // namespace mamori::rse::blocklist::testing
