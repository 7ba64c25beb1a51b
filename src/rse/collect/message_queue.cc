#include "rse/collect/message_queue.h"

#include <algorithm>

namespace mamori::rse::collect {

std::string_view TransportName(Transport transport) {
  switch (transport) {
    case Transport::kUdp:
      return "udp";
    case Transport::kTcp:
      return "tcp";
    case Transport::kStdin:
      return "stdin";
    case Transport::kFile:
      return "file";
  }
  return "unknown";
}

MessageQueue::MessageQueue(size_t capacity) : capacity_(std::max<size_t>(capacity, 1)) {
  counters_.capacity = capacity_;
}

void MessageQueue::PushLocked(Message& message) {
  items_.push_back(std::move(message));
  ++counters_.pushed;
  counters_.high_water = std::max(counters_.high_water, items_.size());
}

bool MessageQueue::TryPush(Message message) {
  {
    std::lock_guard lock(mu_);
    if (closed_) {
      ++counters_.dropped_closed;
      return false;
    }
    if (items_.size() >= capacity_) {
      ++counters_.dropped_full;
      return false;
    }
    PushLocked(message);
  }
  not_empty_.notify_one();
  return true;
}

bool MessageQueue::TryPushOrHold(Message& message) {
  {
    std::lock_guard lock(mu_);
    if (closed_) {
      ++counters_.dropped_closed;
      return false;
    }
    if (items_.size() >= capacity_) {
      ++counters_.held_full;
      return false;
    }
    PushLocked(message);
  }
  not_empty_.notify_one();
  return true;
}

size_t MessageQueue::PopBatch(std::vector<Message>* out, size_t max,
                              std::chrono::milliseconds timeout) {
  if (max == 0) return 0;
  std::unique_lock lock(mu_);
  not_empty_.wait_for(lock, timeout, [&] { return !items_.empty() || closed_; });
  size_t n = std::min(max, items_.size());
  for (size_t i = 0; i < n; ++i) {
    out->push_back(std::move(items_.front()));
    items_.pop_front();
  }
  counters_.popped += n;
  return n;
}

void MessageQueue::Close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  not_empty_.notify_all();
}

bool MessageQueue::closed() const {
  std::lock_guard lock(mu_);
  return closed_;
}

MessageQueueCounters MessageQueue::counters() const {
  std::lock_guard lock(mu_);
  MessageQueueCounters c = counters_;
  c.size = items_.size();
  return c;
}

}  // namespace mamori::rse::collect
