#include "rse/blocklist/connectors/testing/netns.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>

namespace mamori::rse::blocklist::testing {

namespace {

constexpr int kExitUnsupported = 77;

bool WriteProcFile(const char* path, const std::string& text) {
  int fd = ::open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  return ok;
}

void WriteAll(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

}  // namespace

Status EnterNewNetns() {
  if (::unshare(CLONE_NEWNET) == 0) return Ok();
  int first = errno;
  uid_t uid = ::geteuid();
  gid_t gid = ::getegid();
  if (::unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0) {
    return MakeError(ErrorCode::kUnsupported,
                     fmt::format("cannot create a network namespace: unshare(CLONE_NEWNET): {}; "
                                 "with a user namespace: {}",
                                 std::strerror(first), std::strerror(errno)));
  }
  if (!WriteProcFile("/proc/self/setgroups", "deny") ||
      !WriteProcFile("/proc/self/uid_map", fmt::format("0 {} 1", uid)) ||
      !WriteProcFile("/proc/self/gid_map", fmt::format("0 {} 1", gid))) {
    return MakeError(
        ErrorCode::kUnsupported,
        fmt::format("cannot map ids in the new user namespace: {}", std::strerror(errno)));
  }
  return Ok();
}

Expected<std::string> RunInNewNetns(const std::function<std::string()>& body,
                                    std::chrono::seconds timeout) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return MakeError(ErrorCode::kInternal, fmt::format("pipe: {}", std::strerror(errno)));
  }
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return MakeError(ErrorCode::kInternal, fmt::format("fork: {}", std::strerror(errno)));
  }
  if (pid == 0) {
    ::close(fds[0]);
    Status entered = EnterNewNetns();
    if (!entered) {
      WriteAll(fds[1], entered.error().message);
      ::_exit(kExitUnsupported);
    }
    std::string result;
    try {
      result = body();
    } catch (const std::exception& e) {
      result = fmt::format("exception in the namespace child: {}", e.what());
    } catch (...) {
      result = "unknown exception in the namespace child";
    }
    WriteAll(fds[1], result);
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[65536];
  bool timed_out = false;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    return MakeError(
        ErrorCode::kTimeout,
        fmt::format("the namespace child did not finish within {} s", timeout.count()));
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == kExitUnsupported) {
    return MakeError(ErrorCode::kUnsupported, out);
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return MakeError(ErrorCode::kInternal,
                     fmt::format("the namespace child died (status {:#x}); output: {}", status,
                                 out.substr(0, 2000)));
  }
  return out;
}

}  // namespace mamori::rse::blocklist::testing
