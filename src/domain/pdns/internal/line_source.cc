#include "domain/pdns/internal/line_source.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace mamori::domain::pdns::internal {
namespace {
constexpr size_t kBlock = 4 << 20;
}

LineSource::LineSource(std::string name, gzFile file, int64_t size, size_t max_line_bytes)
    : name_(std::move(name)),
      file_(file),
      size_(size),
      max_line_bytes_(std::max<size_t>(max_line_bytes, 1)),
      capacity_(std::max(kBlock, 2 * max_line_bytes_ + 1)) {
  buffer_.resize(capacity_ + kPadding);
}

LineSource::~LineSource() {
  if (file_ != nullptr) gzclose(file_);
}

Expected<std::unique_ptr<LineSource>> LineSource::Open(const std::string& path,
                                                       size_t max_line_bytes) {
  int fd = 0;
  std::string name = path == "-" ? "stdin" : path;
  if (path != "-") {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      return MakeError(errno == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
                       fmt::format("cannot open: {}", std::strerror(errno)), path);
    }
  } else {
    fd = ::dup(0);  // gzclose closes the descriptor; stdin stays open for the process
    if (fd < 0) {
      return MakeError(ErrorCode::kIo, fmt::format("cannot read: {}", std::strerror(errno)), name);
    }
  }
  int64_t size = 0;
  struct stat st {};
  if (::fstat(fd, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      ::close(fd);
      return MakeError(ErrorCode::kInvalidArgument, "is a directory, not a passive DNS file", path);
    }
    if (S_ISREG(st.st_mode)) size = st.st_size;
  }
  gzFile file = gzdopen(fd, "rb");
  if (file == nullptr) {
    ::close(fd);
    return MakeError(ErrorCode::kInternal, "zlib could not open the file", name);
  }
  gzbuffer(file, 1 << 20);
  return std::unique_ptr<LineSource>(new LineSource(std::move(name), file, size, max_line_bytes));
}

int64_t LineSource::bytes_read() const { return static_cast<int64_t>(gzoffset(file_)); }

Expected<size_t> LineSource::Fill() {
  if (start_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + start_, end_ - start_);
    end_ -= start_;
    scan_ -= start_;
    start_ = 0;
  }
  if (end_ == capacity_) return 1;  // full: the caller cuts the line
  int n = gzread(file_, buffer_.data() + end_, static_cast<unsigned>(capacity_ - end_));
  if (n < 0) {
    int code = 0;
    const char* message = gzerror(file_, &code);
    return MakeError(
        code == Z_ERRNO ? ErrorCode::kIo : ErrorCode::kCorrupt,
        fmt::format("cannot read: {}", code == Z_ERRNO ? std::strerror(errno) : message), name_);
  }
  if (n == 0) {
    // gzread returns the data before a truncated gzip member and then 0; gzerror says why.
    int code = 0;
    const char* message = gzerror(file_, &code);
    if (code != Z_OK && code != Z_BUF_ERROR) {
      return MakeError(ErrorCode::kCorrupt, fmt::format("bad gzip data: {}", message), name_);
    }
    if (code == Z_BUF_ERROR) {
      return MakeError(ErrorCode::kCorrupt,
                       "gzip data ends in the middle of a member (truncated file?)", name_);
    }
  }
  end_ += static_cast<size_t>(n);
  return static_cast<size_t>(n);
}

Expected<bool> LineSource::Next(std::string_view& line, bool& too_long) {
  too_long = false;
  while (true) {
    const char* base = buffer_.data();
    const void* hit = scan_ < end_ ? std::memchr(base + scan_, '\n', end_ - scan_) : nullptr;
    if (hit != nullptr) {
      size_t nl = static_cast<size_t>(static_cast<const char*>(hit) - base);
      size_t begin = start_;
      start_ = scan_ = nl + 1;
      if (skipping_) {
        skipping_ = false;
        continue;
      }
      size_t length = nl - begin;
      if (length > 0 && base[nl - 1] == '\r') --length;
      ++line_number_;
      if (length > max_line_bytes_) {
        length = max_line_bytes_;
        too_long = true;
      }
      line = std::string_view(base + begin, length);
      return true;
    }
    scan_ = end_;
    if (skipping_) {
      start_ = scan_ = end_ = 0;
    } else if (end_ - start_ > max_line_bytes_) {
      ++line_number_;
      line = std::string_view(base + start_, max_line_bytes_);
      too_long = true;
      skipping_ = true;
      start_ = scan_ = end_;  // the caller's view stays valid: Fill() only runs on the next call
      return true;
    }
    if (eof_) {
      if (end_ > start_) {
        size_t length = end_ - start_;
        if (base[end_ - 1] == '\r') --length;
        line = std::string_view(base + start_, length);
        start_ = scan_ = end_;
        ++line_number_;
        return true;
      }
      return false;
    }
    auto n = Fill();
    if (!n) return tl::unexpected(n.error());
    if (*n == 0) eof_ = true;
  }
}

}  // namespace mamori::domain::pdns::internal
