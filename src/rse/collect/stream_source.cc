#include "rse/collect/stream_source.h"

#include <fmt/format.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "rse/collect/line_splitter.h"

namespace mamori::rse::collect {

StreamSource::StreamSource(int fd, const StreamSourceOptions& options, MessageQueue& queue,
                           Clock& clock)
    : fd_(fd), options_(options), queue_(queue), clock_(clock) {}

Expected<std::unique_ptr<StreamSource>> StreamSource::Start(int fd,
                                                            const StreamSourceOptions& options,
                                                            MessageQueue& queue, Clock& clock) {
  std::unique_ptr<StreamSource> source(new StreamSource(fd, options, queue, clock));
  source->wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (source->wake_fd_ < 0) {
    return MakeError(ErrorCode::kInternal, fmt::format("eventfd failed: {}", std::strerror(errno)),
                     options.name);
  }
  source->thread_ = std::thread([raw = source.get()] { raw->Run(); });
  return source;
}

StreamSource::~StreamSource() { Stop(); }

void StreamSource::Stop() {
  if (thread_.joinable()) {
    stopping_ = true;
    uint64_t one = 1;
    (void)!::write(wake_fd_, &one, sizeof one);
    thread_.join();
  }
  if (wake_fd_ >= 0) ::close(wake_fd_);
  wake_fd_ = -1;
}

std::optional<Error> StreamSource::error() const {
  std::lock_guard lock(error_mu_);
  return error_;
}

StreamSourceCounters StreamSource::counters() const {
  return {lines_, bytes_, too_long_, waits_, dropped_};
}

bool StreamSource::Deliver(std::string_view line, bool too_long) {
  Message message{std::string(line), clock_.Now(), {}, options_.name, Transport::kStdin, too_long};
  if (too_long) ++too_long_;
  bool waited = false;
  while (!queue_.TryPushOrHold(message)) {
    if (stopping_ || queue_.closed()) {
      ++dropped_;
      return false;
    }
    if (!waited) ++waits_;
    waited = true;
    pollfd wake{wake_fd_, POLLIN, 0};
    ::poll(&wake, 1, static_cast<int>(std::max<int64_t>(1, options_.retry.count())));
  }
  ++lines_;
  return true;
}

void StreamSource::Run() {
  LineSplitter splitter(options_.max_line_bytes);
  std::vector<char> buffer(256 * 1024);
  bool open = true;
  auto deliver = [&](std::string_view line, uint64_t, bool too_long) {
    if (open) open = Deliver(line, too_long);
  };
  while (open && !stopping_) {
    // Poll, so Stop() can interrupt a stream that is quiet (a terminal, an idle pipe).
    pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (stopping_) break;
    ssize_t n = ::read(fd_, buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      std::lock_guard lock(error_mu_);
      error_ = Error{ErrorCode::kIo, fmt::format("cannot read: {}", std::strerror(errno)),
                     options_.name};
      break;
    }
    if (n == 0) {
      splitter.Flush(deliver);
      break;
    }
    bytes_ += static_cast<uint64_t>(n);
    splitter.Feed(std::string_view(buffer.data(), static_cast<size_t>(n)), deliver);
  }
  done_ = true;
}

}  // namespace mamori::rse::collect
