#include "rse/ingest/line_reader.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace mamori::rse::ingest {
namespace {

constexpr size_t kReadBlock = 1 << 20;

// Reads a file descriptor; `pending` holds bytes already read while sniffing the format.
class FdSource final : public ByteSource {
 public:
  FdSource(int fd, std::string name, std::string pending, std::shared_ptr<uint64_t> counter)
      : fd_(fd),
        name_(std::move(name)),
        pending_(std::move(pending)),
        counter_(std::move(counter)) {}

  Expected<size_t> Read(char* out, size_t size) override {
    if (pending_offset_ < pending_.size()) {
      size_t n = std::min(size, pending_.size() - pending_offset_);
      std::memcpy(out, pending_.data() + pending_offset_, n);
      pending_offset_ += n;
      return n;
    }
    if (fd_ < 0) return 0;
    while (true) {
      ssize_t n = ::read(fd_, out, size);
      if (n >= 0) {
        *counter_ += static_cast<uint64_t>(n);
        return static_cast<size_t>(n);
      }
      if (errno != EINTR) {
        return MakeError(ErrorCode::kIo, fmt::format("cannot read: {}", std::strerror(errno)),
                         name_);
      }
    }
  }

 private:
  int fd_;
  std::string name_;
  std::string pending_;
  size_t pending_offset_ = 0;
  std::shared_ptr<uint64_t> counter_;
};

// Inflates gzip members one after another (`cat a.gz b.gz` is a valid gzip file).
class GzipSource final : public ByteSource {
 public:
  GzipSource(std::unique_ptr<ByteSource> raw, std::string name)
      : raw_(std::move(raw)), name_(std::move(name)), in_(256 * 1024) {
    std::memset(&zs_, 0, sizeof zs_);
    ok_ = inflateInit2(&zs_, 15 + 16) == Z_OK;
  }
  ~GzipSource() override { inflateEnd(&zs_); }

  Expected<size_t> Read(char* out, size_t size) override {
    if (!ok_) return MakeError(ErrorCode::kInternal, "zlib initialisation failed", name_);
    zs_.next_out = reinterpret_cast<Bytef*>(out);
    zs_.avail_out = static_cast<uInt>(std::min<size_t>(size, 1u << 30));
    while (zs_.avail_out > 0) {
      if (zs_.avail_in == 0 && !raw_eof_) {
        auto n = raw_->Read(in_.data(), in_.size());
        if (!n) return tl::unexpected(n.error());
        if (*n == 0) {
          raw_eof_ = true;
        } else {
          zs_.next_in = reinterpret_cast<Bytef*>(in_.data());
          zs_.avail_in = static_cast<uInt>(*n);
        }
      }
      if (zs_.avail_in == 0 && raw_eof_) {
        if (in_member_) {
          return MakeError(ErrorCode::kCorrupt,
                           "gzip data ends in the middle of a member (truncated file?)", name_);
        }
        break;
      }
      in_member_ = true;
      int rc = inflate(&zs_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        in_member_ = false;
        inflateReset(&zs_);
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return MakeError(ErrorCode::kCorrupt,
                         fmt::format("bad gzip data: {}", zs_.msg ? zs_.msg : "inflate failed"),
                         name_);
      }
      if (rc == Z_BUF_ERROR && zs_.avail_in != 0) break;  // output full
    }
    return size - zs_.avail_out;
  }

 private:
  std::unique_ptr<ByteSource> raw_;
  std::string name_;
  std::vector<char> in_;
  z_stream zs_;
  bool ok_ = false;
  bool raw_eof_ = false;
  bool in_member_ = false;
};

}  // namespace

LineReader::LineReader(std::string name, int fd, bool owns_fd, size_t max_line_bytes)
    : name_(std::move(name)),
      fd_(fd),
      owns_fd_(owns_fd),
      max_line_bytes_(std::max<size_t>(max_line_bytes, 1)),
      raw_bytes_(std::make_shared<uint64_t>(0)) {}

LineReader::~LineReader() {
  source_.reset();
  if (owns_fd_ && fd_ >= 0) ::close(fd_);
}

Expected<std::unique_ptr<LineReader>> LineReader::Open(const std::string& path,
                                                       size_t max_line_bytes) {
  int fd = 0;
  bool owns = false;
  std::string name = path == "-" ? "stdin" : path;
  if (path != "-") {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      return MakeError(errno == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
                       fmt::format("cannot open: {}", std::strerror(errno)), path);
    }
    owns = true;
  }
  std::unique_ptr<LineReader> reader(new LineReader(name, fd, owns, max_line_bytes));
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    reader->input_size_ = static_cast<uint64_t>(st.st_size);
  } else if (path != "-" && ::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    return MakeError(ErrorCode::kInvalidArgument, "is a directory, not a log file", path);
  }
  if (auto started = reader->Start({}); !started) return tl::unexpected(started.error());
  return reader;
}

std::unique_ptr<LineReader> LineReader::FromString(std::string data, size_t max_line_bytes) {
  std::unique_ptr<LineReader> reader(new LineReader("input", -1, false, max_line_bytes));
  reader->input_size_ = data.size();
  *reader->raw_bytes_ = data.size();
  (void)reader->Start(std::move(data));
  return reader;
}

Expected<void> LineReader::Start(std::string initial) {
  // Sniff the gzip magic on the first bytes (a pipe may deliver fewer than two at first).
  while (fd_ >= 0 && initial.size() < 2) {
    char head[2];
    ssize_t n = ::read(fd_, head, 2 - initial.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return MakeError(ErrorCode::kIo, fmt::format("cannot read: {}", std::strerror(errno)), name_);
    }
    if (n == 0) break;
    *raw_bytes_ += static_cast<uint64_t>(n);
    initial.append(head, static_cast<size_t>(n));
  }
  gzip_ = initial.size() >= 2 && static_cast<unsigned char>(initial[0]) == 0x1f &&
          static_cast<unsigned char>(initial[1]) == 0x8b;
  source_ = std::make_unique<FdSource>(fd_, name_, std::move(initial), raw_bytes_);
  if (gzip_) source_ = std::make_unique<GzipSource>(std::move(source_), name_);
  buffer_.resize(std::max(kReadBlock, 2 * max_line_bytes_ + 1));
  return {};
}

uint64_t LineReader::input_bytes() const { return *raw_bytes_; }

Expected<size_t> LineReader::Fill() {
  if (start_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + start_, end_ - start_);
    end_ -= start_;
    scan_ -= start_;
    start_ = 0;
  }
  if (end_ == buffer_.size()) return 1;  // full: the caller cuts the line
  auto n = source_->Read(buffer_.data() + end_, buffer_.size() - end_);
  if (!n) return tl::unexpected(n.error());
  end_ += *n;
  return *n;
}

Expected<bool> LineReader::Next(std::string_view& line, bool& too_long) {
  too_long = false;
  if (discard_) {
    start_ = scan_ = end_;
    discard_ = false;
  }
  while (true) {
    const char* base = buffer_.data();
    const void* hit = scan_ < end_ ? std::memchr(base + scan_, '\n', end_ - scan_) : nullptr;
    if (hit != nullptr) {
      size_t nl = static_cast<const char*>(hit) - base;
      size_t begin = start_;
      start_ = scan_ = nl + 1;
      if (skipping_) {  // the end of a line already returned cut
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
      discard_ = true;
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

}  // namespace mamori::rse::ingest
