#include <gtest/gtest.h>

#include "store/sqlite/test_util.h"
#include "store/store.h"

namespace mamori::store {
namespace {

using testing::TempDir;

SampleRecord Sample(std::string sha256) {
  SampleRecord s;
  s.sha256 = std::move(sha256);
  s.file_name = "a.exe";
  s.size = 1234;
  s.submitted_at = 1'700'000'000;
  s.submitted_by = "token:ci(1)";
  return s;
}

class SamplesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = OpenSqliteStore(dir_.File("mamori.db"));
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }
  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(SamplesTest, QueueClaimsOldestFirstAndFinishKeepsTheReport) {
  auto a = store_->AddSample(Sample("aa"));
  auto b = store_->AddSample(Sample("bb"));
  ASSERT_TRUE(a && b);
  auto claimed = store_->ClaimNextSample(1'700'000'100);
  ASSERT_TRUE(claimed && *claimed);
  EXPECT_EQ((*claimed)->id, a->id);
  EXPECT_EQ((*claimed)->status, "running");

  SampleRecord done = **claimed;
  done.status = "done";
  done.report_status = "analyzed";
  done.summary_json = R"({"events":3})";
  done.report_json = R"({"status":"analyzed"})";
  done.finished_at = 1'700'000'200;
  ASSERT_TRUE(store_->FinishSample(done));
  auto got = store_->GetSample(a->id, true);
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->report_json, done.report_json);
  EXPECT_EQ((*got)->started_at, 1'700'000'100);
  EXPECT_EQ((*got)->finished_at, 1'700'000'200);
  EXPECT_EQ((*store_->GetSample(a->id, false))->report_json, "");

  auto list = store_->ListSamples(0, 10);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, b->id) << "newest first";
  EXPECT_EQ(store_->ListSamples(b->id, 10)->size(), 1u);
}

TEST_F(SamplesTest, RunningSamplesGoBackToTheQueue) {
  ASSERT_TRUE(store_->AddSample(Sample("aa")));
  ASSERT_TRUE(*store_->ClaimNextSample(1));
  EXPECT_FALSE(*store_->ClaimNextSample(2)) << "nothing else queued";
  EXPECT_EQ(*store_->RequeueRunningSamples(), 1);
  auto again = store_->ClaimNextSample(3);
  ASSERT_TRUE(again && *again);
  EXPECT_EQ((*again)->started_at, 3);
}

}  // namespace
}  // namespace mamori::store
