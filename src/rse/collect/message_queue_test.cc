#include "rse/collect/message_queue.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace mamori::rse::collect {
namespace {

Message Text(std::string text) {
  Message m;
  m.text = std::move(text);
  return m;
}

TEST(MessageQueueTest, BoundedDropsAndCountsWhenFull) {
  MessageQueue q(2);
  EXPECT_TRUE(q.TryPush(Text("a")));
  EXPECT_TRUE(q.TryPush(Text("b")));
  EXPECT_FALSE(q.TryPush(Text("c")));
  auto c = q.counters();
  EXPECT_EQ(c.pushed, 2u);
  EXPECT_EQ(c.dropped_full, 1u);
  EXPECT_EQ(c.size, 2u);
  EXPECT_EQ(c.high_water, 2u);
  std::vector<Message> out;
  EXPECT_EQ(q.PopBatch(&out, 10, std::chrono::milliseconds(0)), 2u);
  EXPECT_EQ(out[0].text, "a");
  EXPECT_EQ(out[1].text, "b");
  EXPECT_EQ(q.counters().popped, 2u);
}

TEST(MessageQueueTest, TryPushOrHoldLeavesTheMessageWithTheCaller) {
  MessageQueue q(1);
  Message first = Text("first");
  EXPECT_TRUE(q.TryPushOrHold(first));
  Message second = Text("second");
  EXPECT_FALSE(q.TryPushOrHold(second));
  EXPECT_EQ(second.text, "second");
  EXPECT_EQ(q.counters().held_full, 1u);
  EXPECT_EQ(q.counters().dropped_full, 0u);
}

TEST(MessageQueueTest, PopBatchTakesAtMostMaxAndTimesOut) {
  MessageQueue q(10);
  for (int i = 0; i < 5; ++i) q.TryPush(Text(std::to_string(i)));
  std::vector<Message> out;
  EXPECT_EQ(q.PopBatch(&out, 3, std::chrono::milliseconds(0)), 3u);
  EXPECT_EQ(q.PopBatch(&out, 3, std::chrono::milliseconds(0)), 2u);
  EXPECT_EQ(q.PopBatch(&out, 3, std::chrono::milliseconds(1)), 0u);
  EXPECT_EQ(out.size(), 5u);
  EXPECT_EQ(out[4].text, "4");
}

TEST(MessageQueueTest, CloseWakesTheConsumerAndRefusesPushes) {
  MessageQueue q(10);
  std::thread consumer([&] {
    std::vector<Message> out;
    // Would wait a minute if Close() did not wake it.
    EXPECT_EQ(q.PopBatch(&out, 10, std::chrono::minutes(1)), 0u);
  });
  q.Close();
  consumer.join();
  EXPECT_TRUE(q.closed());
  EXPECT_FALSE(q.TryPush(Text("late")));
  EXPECT_EQ(q.counters().dropped_closed, 1u);
}

TEST(MessageQueueTest, ManyProducersOneConsumerAccountForEveryMessage) {
  MessageQueue q(64);
  constexpr int kProducers = 4, kEach = 5000;
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) q.TryPush(Text("m"));
    });
  }
  uint64_t popped = 0;
  std::vector<Message> out;
  std::thread consumer([&] {
    while (true) {
      out.clear();
      size_t n = q.PopBatch(&out, 32, std::chrono::milliseconds(50));
      popped += n;
      if (n == 0 && q.closed()) break;
    }
  });
  for (auto& t : producers) t.join();
  q.Close();
  consumer.join();
  auto c = q.counters();
  EXPECT_EQ(c.pushed + c.dropped_full, static_cast<uint64_t>(kProducers * kEach));
  EXPECT_EQ(c.popped, c.pushed);
  EXPECT_EQ(popped, c.pushed);
  EXPECT_LE(c.high_water, 64u);
}

}  // namespace
}  // namespace mamori::rse::collect
