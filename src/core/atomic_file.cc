#include "core/atomic_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace mamori {

namespace {

// Closes the descriptor and removes the temporary file unless Release()d: every early return
// below leaves nothing behind.
class TempFile {
 public:
  TempFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  // close() reports delayed write errors (NFS, quota), so its result matters.
  int Close() {
    int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }
  void Release() { path_.clear(); }

 private:
  int fd_;
  std::string path_;
};

tl::unexpected<Error> IoError(const std::filesystem::path& path, std::string_view what, int err) {
  return MakeError(ErrorCode::kIo, fmt::format("{}: {}", what, std::strerror(err)), path.string());
}

}  // namespace

Status WriteFileAtomically(const std::filesystem::path& path, std::string_view content) {
  if (path.filename().empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "not a file path", path.string());
  }
  std::filesystem::path dir = path.parent_path();
  if (dir.empty()) dir = ".";

  // A dot file next to the target: same file system, and hidden from globs such as *.txt.
  std::string tmpl = (dir / ("." + path.filename().string() + ".tmp.XXXXXX")).string();
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  int fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) return IoError(path, "cannot create a temporary file beside it", errno);
  TempFile tmp(fd, name.data());

  mode_t mode = 0644;
  struct stat old_stat {};
  if (::stat(path.c_str(), &old_stat) == 0) mode = old_stat.st_mode & 07777;
  if (::fchmod(tmp.fd(), mode) != 0) return IoError(path, "cannot set permissions", errno);

  const char* data = content.data();
  size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(tmp.fd(), data, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError(path, "cannot write", errno);
    }
    data += n;
    left -= static_cast<size_t>(n);
  }
  if (::fsync(tmp.fd()) != 0) return IoError(path, "cannot sync", errno);
  if (tmp.Close() != 0) return IoError(path, "cannot close", errno);
  if (::rename(tmp.path().c_str(), path.c_str()) != 0) {
    return IoError(path, "cannot replace", errno);
  }
  tmp.Release();

  // The rename is durable only once the directory entry is on disk. Some file systems cannot
  // sync a directory (EINVAL); the content is in place then, so that is not an error.
  int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return IoError(path, "written, but cannot open its directory to sync", errno);
  int rc = ::fsync(dir_fd);
  int err = errno;
  ::close(dir_fd);
  if (rc != 0 && err != EINVAL && err != EROFS) {
    return IoError(path, "written, but cannot sync its directory", err);
  }
  return Ok();
}

}  // namespace mamori
