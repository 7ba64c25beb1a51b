#include "rse/collect/file_follower.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace mamori::rse::collect {
namespace {

constexpr size_t kHeadBytes = 1024;

// Rotated files that are compressed cannot be resumed at a byte offset of the original.
bool LooksCompressed(std::string_view name) {
  for (std::string_view ext : {".gz", ".bz2", ".xz", ".zst", ".lz4", ".zip", ".Z"}) {
    if (name.size() > ext.size() && name.substr(name.size() - ext.size()) == ext) return true;
  }
  return false;
}

std::string OpenAdvice(int err) {
  if (err == EACCES || err == EPERM) {
    return "; give the user running mamori read access (e.g. the adm group for /var/log)";
  }
  return "";
}

}  // namespace

std::string OffsetFingerprint(std::string_view first_bytes) {
  if (first_bytes.empty()) return {};
  first_bytes = first_bytes.substr(0, kHeadBytes);
  uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a 64
  for (unsigned char c : first_bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return fmt::format("{:016x}", h);
}

std::string_view StartDecisionName(StartDecision decision) {
  switch (decision) {
    case StartDecision::kNoOffset:
      return "no-offset";
    case StartDecision::kResumed:
      return "resumed";
    case StartDecision::kRotatedWhileStopped:
      return "rotated-while-stopped";
    case StartDecision::kRotatedFileLost:
      return "rotated-file-lost";
    case StartDecision::kTruncatedWhileStopped:
      return "truncated-while-stopped";
    case StartDecision::kMissing:
      return "missing";
  }
  return "unknown";
}

struct FileFollower::OpenFile {
  OpenFile(int fd_in, uint64_t device, uint64_t inode, size_t max_line_bytes)
      : fd(fd_in), head{device, inode, {}}, splitter(max_line_bytes) {}
  ~OpenFile() {
    if (fd >= 0) ::close(fd);
  }
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;

  // Re-reads the first bytes (after open and after a truncation).
  void ReadHead() {
    head.bytes.assign(kHeadBytes, '\0');
    ssize_t n;
    do {
      n = ::pread(fd, head.bytes.data(), kHeadBytes, 0);
    } while (n < 0 && errno == EINTR);
    head.bytes.resize(n > 0 ? static_cast<size_t>(n) : 0);
  }
  // Extends the head with bytes read at `pos` (they may start before, at or after its end).
  void NoteRead(uint64_t pos, std::string_view data) {
    uint64_t have = head.bytes.size();
    if (have >= kHeadBytes || pos > have || pos + data.size() <= have) return;
    size_t skip = static_cast<size_t>(have - pos);
    size_t take = std::min(data.size() - skip, static_cast<size_t>(kHeadBytes - have));
    head.bytes.append(data.substr(skip, take));
  }

  int fd;
  FileHead head;
  LineSplitter splitter;  // splitter.offset(): the next byte to read
  uint64_t last_size = 0;  // st_size at the last check, to notice change cheaply
};

FileFollower::FileFollower(std::string path, store::Store* store, Clock& clock,
                           FileFollowerOptions options)
    : store_(store), clock_(clock), options_(options) {
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  path_ = ec ? path : absolute.lexically_normal().string();
  input_ = "file:" + path_;
  options_.read_block = std::max<size_t>(options_.read_block, 4096);
  options_.max_bytes_per_poll = std::max<uint64_t>(options_.max_bytes_per_poll, 1);
  buffer_.resize(options_.read_block);
}

FileFollower::~FileFollower() = default;

Expected<std::unique_ptr<FileFollower::OpenFile>> FileFollower::OpenPath() {
  int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::unique_ptr<OpenFile>();
    int err = errno;
    ++counters_.open_errors;
    return MakeError(ErrorCode::kIo,
                     fmt::format("cannot open the followed log file: {}{}", std::strerror(err),
                                 OpenAdvice(err)),
                     path_);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    ++counters_.open_errors;
    return MakeError(ErrorCode::kInvalidArgument,
                     "not a regular file: only regular files can be followed (pipe other "
                     "inputs to `mamori collect` on stdin, or send them over syslog)",
                     path_);
  }
  auto file = std::make_unique<OpenFile>(fd, static_cast<uint64_t>(st.st_dev),
                                         static_cast<uint64_t>(st.st_ino),
                                         options_.max_line_bytes);
  file->ReadHead();
  file->last_size = static_cast<uint64_t>(st.st_size);
  return file;
}

std::optional<std::string> FileFollower::FindRotatedSibling(uint64_t device,
                                                            uint64_t inode) const {
  namespace fs = std::filesystem;
  fs::path self(path_);
  auto matches = [&](const std::string& candidate) {
    struct stat st {};
    return ::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
           static_cast<uint64_t>(st.st_ino) == inode &&
           static_cast<uint64_t>(st.st_dev) == device;
  };
  // logrotate's names first: cheap, and the usual answer.
  for (const char* suffix : {".1", ".0"}) {
    std::string candidate = path_ + suffix;
    if (matches(candidate)) return candidate;
  }
  // Then any uncompressed file beside it (dateext "path-20240101", other schemes, or a name
  // unrelated to ours); bounded so a huge directory cannot stall the start.
  std::error_code ec;
  size_t seen = 0;
  for (fs::directory_iterator it(self.parent_path(), ec), end; !ec && it != end;
       it.increment(ec)) {
    if (++seen > 10000) break;
    std::string name = it->path().filename().string();
    if (it->path() == self || LooksCompressed(name)) continue;
    if (matches(it->path().string())) return it->path().string();
  }
  return std::nullopt;
}

Status FileFollower::Start() {
  if (started_) return Ok();
  std::optional<store::CollectorOffset> stored;
  if (store_ != nullptr) {
    auto got = store_->GetCollectorOffset(input_);
    if (!got) {
      return tl::unexpected(
          got.error().WithContext(fmt::format("reading the saved offset of {}", path_)));
    }
    stored = std::move(*got);
  }
  if (stored) {
    MAMORI_RETURN_IF_ERROR(StartFromStored(*stored));
  } else {
    MAMORI_ASSIGN_OR_RETURN(current_, OpenPath());
    if (!current_) {
      start_decision_ = StartDecision::kMissing;
    } else {
      start_decision_ = StartDecision::kNoOffset;
      uint64_t offset = 0;
      if (options_.start_at == FileFollowerOptions::StartAt::kEnd && current_->last_size > 0) {
        // Begin after the last newline, so the first line delivered is whole.
        uint64_t size = current_->last_size;
        uint64_t window = std::min<uint64_t>(size, options_.max_line_bytes + 1);
        std::string tail(window, '\0');
        ssize_t n = ::pread(current_->fd, tail.data(), window, static_cast<off_t>(size - window));
        offset = size;
        if (n == static_cast<ssize_t>(window)) {
          size_t nl = tail.rfind('\n');
          if (nl != std::string::npos) {
            offset = size - window + nl + 1;
          } else if (window == size) {
            offset = 0;  // the whole file is one unfinished line: wait for its end
          }
        }
      }
      current_->splitter.Reset(offset);
    }
  }
  started_ = true;  // only now: a failed start (unreadable file) is retried by the next Poll()
  const OpenFile* first = rotated_ ? rotated_.get() : current_.get();
  if (first != nullptr) {
    last_delivered_ = {first->head.device, first->head.inode, first->splitter.offset()};
  }
  return Ok();
}

Status FileFollower::StartFromStored(const store::CollectorOffset& stored) {
  MAMORI_ASSIGN_OR_RETURN(current_, OpenPath());
  // Device numbers can change across reboots (LVM, network file systems): the inode, a long
  // enough file and the same first bytes identify it well enough at the same path.
  auto same_content = [&](OpenFile& file) {
    if (file.last_size < stored.offset) return false;
    size_t n = static_cast<size_t>(std::min<uint64_t>(stored.offset, kHeadBytes));
    return file.head.bytes.size() >= n &&
           OffsetFingerprint(std::string_view(file.head.bytes).substr(0, n)) == stored.fingerprint;
  };
  if (current_ && current_->head.inode == stored.inode) {
    if (same_content(*current_)) {
      current_->splitter.Reset(stored.offset);
      start_decision_ = StartDecision::kResumed;
      counters_.resumed_from_offset = stored.offset;
    } else {
      start_decision_ = StartDecision::kTruncatedWhileStopped;
      ++counters_.truncations;
    }
    return Ok();
  }
  // The file at `path` is another one (or none): ours was rotated while we were stopped.
  std::optional<std::string> sibling = FindRotatedSibling(stored.device, stored.inode);
  if (sibling) {
    int fd = ::open(sibling->c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat st {};
    if (fd >= 0 && ::fstat(fd, &st) == 0) {
      auto old = std::make_unique<OpenFile>(fd, static_cast<uint64_t>(st.st_dev),
                                            static_cast<uint64_t>(st.st_ino),
                                            options_.max_line_bytes);
      old->ReadHead();
      old->last_size = static_cast<uint64_t>(st.st_size);
      if (same_content(*old)) {
        old->splitter.Reset(stored.offset);
        rotated_ = std::move(old);
        start_decision_ = StartDecision::kRotatedWhileStopped;
        counters_.resumed_from_offset = stored.offset;
        ++counters_.rotations;
        return Ok();
      }
    } else if (fd >= 0) {
      ::close(fd);
    }
  }
  start_decision_ = current_ ? StartDecision::kRotatedFileLost : StartDecision::kMissing;
  if (current_) ++counters_.rotations;
  return Ok();
}

Expected<bool> FileFollower::Drain(OpenFile& file, bool finish, bool from_rotated,
                                   const LineCallback& on_line, PollResult& result) {
  auto deliver = [&](std::string_view line, uint64_t end_offset, bool too_long) {
    ++counters_.lines;
    ++result.lines;
    if (too_long) ++counters_.too_long;
    last_delivered_ = {file.head.device, file.head.inode, end_offset};
    on_line(line, FileLine{last_delivered_, too_long, from_rotated});
  };
  while (true) {
    if (result.bytes >= options_.max_bytes_per_poll) {
      result.more = true;
      return false;
    }
    uint64_t pos = file.splitter.offset();
    ssize_t n = ::pread(file.fd, buffer_.data(), buffer_.size(), static_cast<off_t>(pos));
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ++counters_.open_errors;
      return MakeError(ErrorCode::kIo,
                       fmt::format("cannot read the followed log file at offset {}: {}", pos,
                                   std::strerror(err)),
                       path_);
    }
    if (n == 0) break;
    std::string_view data(buffer_.data(), static_cast<size_t>(n));
    file.NoteRead(pos, data);
    counters_.bytes += static_cast<uint64_t>(n);
    result.bytes += static_cast<uint64_t>(n);
    file.splitter.Feed(data, deliver);
  }
  file.last_size = std::max(file.last_size, file.splitter.offset());
  if (finish) file.splitter.Flush(deliver);
  return true;
}

Status FileFollower::RestartAtZero(OpenFile& file, const LineCallback& on_line,
                                   PollResult& result) {
  ++counters_.truncations;
  // The unterminated line read before the truncation is all we will ever see of it (its copy
  // went to the rotated file): deliver it rather than lose it.
  file.splitter.Flush([&](std::string_view line, uint64_t end_offset, bool too_long) {
    ++counters_.lines;
    ++result.lines;
    if (too_long) ++counters_.too_long;
    FilePosition at{file.head.device, file.head.inode, end_offset};
    on_line(line, FileLine{at, too_long, false});
  });
  file.splitter.Reset(0);
  file.ReadHead();
  file.last_size = 0;
  // Everything delivered from the old content is behind us; resuming means 0 of the new one.
  last_delivered_ = {file.head.device, file.head.inode, 0};
  return Ok();
}

Status FileFollower::CheckCurrent(const LineCallback& on_line, PollResult& result) {
  struct stat named {};
  if (::stat(path_.c_str(), &named) != 0) {
    ++counters_.missing_polls;  // deleted or renamed away; keep reading what we have open
    return Ok();
  }
  if (static_cast<uint64_t>(named.st_ino) != current_->head.inode ||
      static_cast<uint64_t>(named.st_dev) != current_->head.device) {
    // Rotated (rename or delete + create): open the new file now, so a second rotation before
    // we finish the old one cannot make us skip it; the old one is read to its end first.
    auto next = OpenPath();
    ++counters_.rotations;
    rotated_ = std::move(current_);
    // If the new file cannot be opened (permissions), the old one is still finished; the new
    // one is retried by the next poll.
    if (!next) return tl::unexpected(next.error());
    current_ = std::move(*next);
    return Ok();
  }
  struct stat st {};
  if (::fstat(current_->fd, &st) != 0) return Ok();
  uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size < current_->splitter.offset()) return RestartAtZero(*current_, on_line, result);
  if (size != current_->last_size && !current_->head.bytes.empty()) {
    // Changed: check the first bytes too, to catch a copytruncate refilled past our offset
    // between two polls (size alone cannot show it).
    std::string now(current_->head.bytes.size(), '\0');
    ssize_t n = ::pread(current_->fd, now.data(), now.size(), 0);
    if (n >= 0 && std::string_view(now.data(), static_cast<size_t>(n)) != current_->head.bytes) {
      return RestartAtZero(*current_, on_line, result);
    }
  }
  current_->last_size = size;
  return Ok();
}

Expected<PollResult> FileFollower::Poll(const LineCallback& on_line) {
  MAMORI_RETURN_IF_ERROR(Start());
  PollResult result;
  // An error opening `path` is returned after reading what can be read: a rotated file is
  // still finished while its successor is unreadable.
  Status opened = Ok();
  if (!current_) {
    auto file = OpenPath();
    if (!file) {
      opened = tl::unexpected(file.error());
    } else {
      current_ = std::move(*file);
      if (!current_) ++counters_.missing_polls;
    }
  } else if (!rotated_) {
    // While a rotated file is still being read, the new one is not checked: it was just opened.
    opened = CheckCurrent(on_line, result);
  }
  if (rotated_) {
    MAMORI_ASSIGN_OR_RETURN(bool done, Drain(*rotated_, true, true, on_line, result));
    if (!done) return opened ? Expected<PollResult>(result) : tl::unexpected(opened.error());
    finished_ = std::move(rotated_->head);
    rotated_.reset();
  }
  if (current_) {
    MAMORI_ASSIGN_OR_RETURN(bool done, Drain(*current_, false, false, on_line, result));
    (void)done;
  }
  if (!opened) return tl::unexpected(opened.error());
  return result;
}

const FileFollower::FileHead* FileFollower::FindHead(uint64_t device, uint64_t inode) const {
  for (const OpenFile* file : {current_.get(), rotated_.get()}) {
    if (file != nullptr && file->head.device == device && file->head.inode == inode) {
      return &file->head;
    }
  }
  if (finished_ && finished_->device == device && finished_->inode == inode) return &*finished_;
  return nullptr;
}

Status FileFollower::Checkpoint() {
  if (last_delivered_.inode == 0 && last_delivered_.device == 0) return Ok();  // never opened
  return Checkpoint(last_delivered_);
}

Status FileFollower::Checkpoint(const FilePosition& upto) {
  if (store_ == nullptr) return Ok();
  const FileHead* head = FindHead(upto.device, upto.inode);
  if (head == nullptr) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("checkpoint for a file no longer followed (device {}, inode {})",
                                 upto.device, upto.inode),
                     path_);
  }
  size_t n = static_cast<size_t>(std::min<uint64_t>(upto.offset, kHeadBytes));
  if (head->bytes.size() < n) {
    return MakeError(ErrorCode::kInternal,
                     fmt::format("checkpoint at offset {} beyond the bytes read", upto.offset),
                     path_);
  }
  store::CollectorOffset record{input_, upto.device, upto.inode, upto.offset,
                                OffsetFingerprint(std::string_view(head->bytes).substr(0, n)),
                                clock_.Now()};
  if (last_saved_ && last_saved_->device == record.device && last_saved_->inode == record.inode &&
      last_saved_->offset == record.offset && last_saved_->fingerprint == record.fingerprint) {
    return Ok();  // nothing new: spare the store a write every poll
  }
  auto saved = store_->SaveCollectorOffset(record);
  if (!saved) {
    return tl::unexpected(
        saved.error().WithContext(fmt::format("saving the offset of {}", path_)));
  }
  ++counters_.checkpoints;
  last_saved_ = std::move(record);
  return Ok();
}

}  // namespace mamori::rse::collect
