#include "rse/blocklist/connectors/subprocess.h"
#include "core/unique_fd.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

extern char** environ;

namespace mamori::rse::blocklist::connectors {

namespace {

constexpr size_t kMaxCapture = 16u << 20;

using Fd = UniqueFd;

int WaitExit(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

std::string ArgvText(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& a : argv) {
    if (!out.empty()) out += ' ';
    bool plain = !a.empty() && a.find_first_of(" \t\n'\"\\$") == std::string::npos;
    out += plain ? a : "'" + a + "'";
  }
  return out;
}

namespace {

// Keeps SIGPIPE from the process while this thread writes to a child's standard input: the
// signal is blocked in this thread, and one raised by our write (EPIPE) is consumed before the
// mask is restored, so a caller that has not ignored SIGPIPE is not killed by a child that exits
// early. A SIGPIPE already pending for the thread is left alone.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    blocked_ = pthread_sigmask(SIG_BLOCK, &pipe_, &old_) == 0;
  }
  ~SigpipeGuard() {
    if (!blocked_) return;
    if (raised_ && !was_pending_) {
      timespec zero{0, 0};
      while (sigtimedwait(&pipe_, nullptr, &zero) < 0 && errno == EINTR) {
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;
  void Raised() { raised_ = true; }

 private:
  sigset_t pipe_;
  sigset_t old_;
  bool was_pending_ = false;
  bool blocked_ = false;
  bool raised_ = false;
};

// `input` null: standard input is /dev/null.
Expected<ProcessResult> Run(const std::vector<std::string>& argv, const std::string_view* input,
                            std::chrono::milliseconds timeout) {
  if (argv.empty()) return MakeError(ErrorCode::kInvalidArgument, "no program to run");
  int out_pipe[2], err_pipe[2], in_pipe[2] = {-1, -1};
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    return MakeError(ErrorCode::kIo, fmt::format("pipe: {}", std::strerror(errno)));
  }
  Fd out_r(out_pipe[0]), out_w(out_pipe[1]);
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    return MakeError(ErrorCode::kIo, fmt::format("pipe: {}", std::strerror(errno)));
  }
  Fd err_r(err_pipe[0]), err_w(err_pipe[1]);
  if (input != nullptr && ::pipe2(in_pipe, O_CLOEXEC) != 0) {
    return MakeError(ErrorCode::kIo, fmt::format("pipe: {}", std::strerror(errno)));
  }
  Fd in_r(in_pipe[0]), in_w(in_pipe[1]);
  // Our end never blocks: the poll loop below interleaves writing the input with reading the
  // output, so a child that writes much before reading all its input cannot deadlock us.
  if (input != nullptr) ::fcntl(in_w.get(), F_SETFL, O_NONBLOCK);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (input != nullptr) {
    posix_spawn_file_actions_adddup2(&actions, in_r.get(), 0);
  } else {
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  }
  posix_spawn_file_actions_adddup2(&actions, out_w.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, err_w.get(), 2);
  // The child starts with default signal handling, whatever the caller ignores or blocks.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  int rc = ::posix_spawnp(&pid, args[0], &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    return MakeError(rc == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
                     fmt::format("cannot run {}: {}", argv[0], std::strerror(rc)), ArgvText(argv));
  }
  out_w.Reset();
  err_w.Reset();
  in_r.Reset();

  std::string_view to_write = input != nullptr ? *input : std::string_view();
  if (input != nullptr && to_write.empty()) in_w.Reset();
  SigpipeGuard sigpipe;

  ProcessResult result;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool out_open = true, err_open = true;
  char buf[65536];
  while (out_open || err_open || in_w.get() >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(pid, SIGKILL);
      WaitExit(pid);
      return MakeError(ErrorCode::kTimeout,
                       fmt::format("{} did not finish within {} ms", argv[0], timeout.count()),
                       ArgvText(argv));
    }
    pollfd fds[3];
    int n = 0;
    if (out_open) fds[n++] = {out_r.get(), POLLIN, 0};
    if (err_open) fds[n++] = {err_r.get(), POLLIN, 0};
    if (in_w.get() >= 0) fds[n++] = {in_w.get(), POLLOUT, 0};
    int ready = ::poll(fds, n, static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) break;
    for (int i = 0; i < n && ready > 0; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == in_w.get()) {
        ssize_t put =
            ::write(in_w.get(), to_write.data(), std::min<size_t>(to_write.size(), 65536));
        if (put < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (put < 0) {
          // EPIPE: the child closed its input early. What it did is in its exit status.
          if (errno == EPIPE) sigpipe.Raised();
          in_w.Reset();
          continue;
        }
        to_write.remove_prefix(static_cast<size_t>(put));
        if (to_write.empty()) in_w.Reset();  // end of input for the child
        continue;
      }
      bool is_out = fds[i].fd == out_r.get();
      ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
      if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (got <= 0) {
        (is_out ? out_open : err_open) = false;
        continue;
      }
      std::string& sink = is_out ? result.out : result.err;
      if (sink.size() < kMaxCapture) {
        sink.append(buf, std::min<size_t>(static_cast<size_t>(got), kMaxCapture - sink.size()));
      }
    }
  }
  result.exit_code = WaitExit(pid);
  return result;
}

}  // namespace

Expected<ProcessResult> RunProcess(const std::vector<std::string>& argv,
                                   std::chrono::milliseconds timeout) {
  return Run(argv, nullptr, timeout);
}

Expected<ProcessResult> RunProcessWithInput(const std::vector<std::string>& argv,
                                            std::string_view input,
                                            std::chrono::milliseconds timeout) {
  return Run(argv, &input, timeout);
}

}  // namespace mamori::rse::blocklist::connectors
