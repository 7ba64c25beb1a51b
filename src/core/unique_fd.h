// UniqueFd: owns a file descriptor and closes it when it goes out of scope (pipes and sockets of
// child processes: the blocklist subprocess connector, the malware worker, tests).
#pragma once

#include <unistd.h>

namespace mamori {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { Reset(); }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const { return fd_; }
  void Reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

}  // namespace mamori
