#include "rse/collect/stream_source.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace mamori::rse::collect {
namespace {

using namespace std::chrono_literals;

class Pipe {
 public:
  Pipe() { EXPECT_EQ(::pipe(fds_), 0); }
  ~Pipe() {
    CloseWrite();
    ::close(fds_[0]);
  }
  int read_end() const { return fds_[0]; }
  void Write(std::string_view data) {
    ASSERT_EQ(::write(fds_[1], data.data(), data.size()), static_cast<ssize_t>(data.size()));
  }
  void CloseWrite() {
    if (fds_[1] >= 0) ::close(fds_[1]);
    fds_[1] = -1;
  }

 private:
  int fds_[2] = {-1, -1};
};

std::vector<std::string> PopTexts(MessageQueue& queue, size_t n) {
  std::vector<Message> out;
  auto end = std::chrono::steady_clock::now() + 10s;
  while (out.size() < n && std::chrono::steady_clock::now() < end) {
    queue.PopBatch(&out, n - out.size(), 100ms);
  }
  std::vector<std::string> texts;
  for (auto& m : out) texts.push_back(m.text);
  return texts;
}

TEST(StreamSourceTest, LinesFromAPipeUntilItsEnd) {
  MessageQueue queue(100);
  FakeClock clock;
  Pipe pipe;
  StreamSourceOptions options;
  options.max_line_bytes = 5;
  auto source = StreamSource::Start(pipe.read_end(), options, queue, clock);
  ASSERT_TRUE(source);
  pipe.Write("one\r\ntw");
  pipe.Write("o\nmuch too long\nlast");
  pipe.CloseWrite();
  EXPECT_EQ(PopTexts(queue, 4), (std::vector<std::string>{"one", "two", "much ", "last"}));
  auto end = std::chrono::steady_clock::now() + 10s;
  while (!(*source)->done() && std::chrono::steady_clock::now() < end) {
    std::this_thread::sleep_for(1ms);
  }
  EXPECT_TRUE((*source)->done());
  EXPECT_FALSE((*source)->error());
  auto c = (*source)->counters();
  EXPECT_EQ(c.lines, 4u);
  EXPECT_EQ(c.too_long, 1u);
  EXPECT_EQ(c.bytes, 27u);
}

TEST(StreamSourceTest, FullQueueHoldsLinesInsteadOfDroppingThem) {
  MessageQueue queue(1);
  FakeClock clock;
  Pipe pipe;
  StreamSourceOptions options;
  options.retry = 1ms;
  auto source = StreamSource::Start(pipe.read_end(), options, queue, clock);
  ASSERT_TRUE(source);
  std::string data;
  for (int i = 0; i < 50; ++i) data += std::to_string(i) + "\n";
  pipe.Write(data);
  pipe.CloseWrite();
  auto texts = PopTexts(queue, 50);
  ASSERT_EQ(texts.size(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(texts[i], std::to_string(i));
  EXPECT_EQ(queue.counters().dropped_full, 0u);
}

TEST(StreamSourceTest, StopInterruptsAQuietStream) {
  MessageQueue queue(10);
  FakeClock clock;
  Pipe pipe;  // nothing is ever written
  auto source = StreamSource::Start(pipe.read_end(), {}, queue, clock);
  ASSERT_TRUE(source);
  (*source)->Stop();  // would hang if the thread were blocked in read()
  EXPECT_TRUE((*source)->done());
}

}  // namespace
}  // namespace mamori::rse::collect
