// Test helper (tests and benchmarks only): an Event that owns the strings its views point to.
#pragma once

#include <deque>
#include <string>
#include <string_view>

#include "rse/ingest/event.h"

namespace mamori::rse::detect {

class TestEvent {
 public:
  TestEvent() = default;
  TestEvent(const TestEvent&) = delete;  // the views would point into the other's strings
  TestEvent(TestEvent&&) = default;      // deque moves keep element addresses

  TestEvent& Set(ingest::Field field, std::string_view value) {
    event_.Set(field, Keep(value));
    return *this;
  }
  TestEvent& Raw(std::string_view raw) {
    event_.raw = Keep(raw);
    return *this;
  }
  TestEvent& Time(ingest::UnixMicros t) {
    event_.time = t;
    return *this;
  }
  const ingest::Event& event() const { return event_; }
  operator const ingest::Event&() const { return event_; }

 private:
  std::string_view Keep(std::string_view v) { return storage_.emplace_back(v); }
  std::deque<std::string> storage_;
  ingest::Event event_;
};

}  // namespace mamori::rse::detect
