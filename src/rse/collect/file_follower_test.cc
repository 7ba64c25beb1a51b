#include "rse/collect/file_follower.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "core/clock.h"
#include "rse/collect/test_files.h"
#include "store/store.h"

namespace mamori::rse::collect {
namespace {

using testing::Append;
using testing::Rename;
using testing::TempDir;
using testing::Truncate;

struct Got {
  std::vector<std::string> lines;
  std::vector<FileLine> infos;
};

// One Poll(), expecting success; returns the lines delivered.
std::vector<std::string> PollLines(FileFollower& follower, Got* got = nullptr) {
  std::vector<std::string> lines;
  auto polled = follower.Poll([&](std::string_view line, const FileLine& info) {
    lines.emplace_back(line);
    if (got != nullptr) {
      got->lines.emplace_back(line);
      got->infos.push_back(info);
    }
  });
  EXPECT_TRUE(polled) << (polled ? "" : polled.error().ToString());
  return lines;
}

using Lines = std::vector<std::string>;

class FollowerTest : public ::testing::Test {
 protected:
  std::unique_ptr<store::Store> OpenStore() {
    auto store = store::OpenSqliteStore(dir_.File("mamori.db"));
    EXPECT_TRUE(store) << (store ? "" : store.error().ToString());
    return store ? std::move(*store) : nullptr;
  }
  std::unique_ptr<FileFollower> Follow(store::Store* store, FileFollowerOptions options = {}) {
    auto follower = std::make_unique<FileFollower>(log_, store, clock_, options);
    auto started = follower->Start();
    EXPECT_TRUE(started) << (started ? "" : started.error().ToString());
    return follower;
  }

  TempDir dir_;
  std::string log_ = dir_.File("app.log");
  FakeClock clock_;
};

TEST_F(FollowerTest, DeliversCompleteLinesAndKeepsThePartialOne) {
  Append(log_, "a\nb\npar");
  auto f = Follow(nullptr);
  EXPECT_EQ(PollLines(*f), (Lines{"a", "b"}));
  EXPECT_EQ(PollLines(*f), Lines{});
  Append(log_, "tial\nc\n");
  Got got;
  EXPECT_EQ(PollLines(*f, &got), (Lines{"partial", "c"}));
  EXPECT_EQ(got.infos[0].position.offset, 12u);  // "a\nb\npartial\n"
  EXPECT_EQ(got.infos[1].position.offset, 14u);
  EXPECT_EQ(f->counters().lines, 4u);
  EXPECT_EQ(f->counters().bytes, 14u);
  EXPECT_EQ(f->input(), "file:" + log_);
}

TEST_F(FollowerTest, StripsCrlfAndKeepsEmptyLines) {
  Append(log_, "x\r\n\r\ny\n\n");
  auto f = Follow(nullptr);
  EXPECT_EQ(PollLines(*f), (Lines{"x", "", "y", ""}));
}

TEST_F(FollowerTest, CutsLongLinesCountsThemAndSkipsTheirRest) {
  FileFollowerOptions options;
  options.max_line_bytes = 8;
  Append(log_, "short\n0123456789");
  auto f = Follow(nullptr, options);
  EXPECT_EQ(PollLines(*f), Lines{"short"});
  Append(log_, "abcdefghij");  // still the same line, far past the cap
  EXPECT_EQ(PollLines(*f), Lines{});
  Append(log_, "xyz\nnext\n");
  Got got;
  EXPECT_EQ(PollLines(*f, &got), (Lines{"01234567", "next"}));
  EXPECT_TRUE(got.infos[0].too_long);
  EXPECT_FALSE(got.infos[1].too_long);
  EXPECT_EQ(got.infos[0].position.offset, 6u + 24u);  // after the long line's newline
  EXPECT_EQ(f->counters().too_long, 1u);
}

TEST_F(FollowerTest, LineOfExactlyTheCapWithCrlfIsNotTooLong) {
  FileFollowerOptions options;
  options.max_line_bytes = 4;
  Append(log_, "abcd\r\nabcde\r\n");
  auto f = Follow(nullptr, options);
  Got got;
  EXPECT_EQ(PollLines(*f, &got), (Lines{"abcd", "abcd"}));
  EXPECT_FALSE(got.infos[0].too_long);
  EXPECT_TRUE(got.infos[1].too_long);
}

TEST_F(FollowerTest, RenameRotationFinishesTheOldFileFirst) {
  Append(log_, "one\n");
  auto f = Follow(nullptr);
  EXPECT_EQ(PollLines(*f), Lines{"one"});
  Rename(log_, log_ + ".1");
  // The writer has not reopened yet: it still appends to the renamed file, last line unended.
  Append(log_ + ".1", "late\nunended");
  Append(log_, "new1\n");
  Got got;
  EXPECT_EQ(PollLines(*f, &got), (Lines{"late", "unended", "new1"}));
  EXPECT_TRUE(got.infos[0].from_rotated);
  EXPECT_TRUE(got.infos[1].from_rotated);
  EXPECT_FALSE(got.infos[2].from_rotated);
  EXPECT_EQ(got.infos[2].position.offset, 5u);
  EXPECT_EQ(f->counters().rotations, 1u);
  Append(log_, "new2\n");
  EXPECT_EQ(PollLines(*f), Lines{"new2"});
}

TEST_F(FollowerTest, CopytruncateRestartsAtZero) {
  Append(log_, "first line\nsecond line\n");
  auto f = Follow(nullptr);
  EXPECT_EQ(PollLines(*f).size(), 2u);
  Truncate(log_);
  Append(log_, "n1\n");
  EXPECT_EQ(PollLines(*f), Lines{"n1"});
  EXPECT_EQ(f->counters().truncations, 1u);
  EXPECT_EQ(f->counters().rotations, 0u);
}

TEST_F(FollowerTest, CopytruncateRefilledPastTheOffsetIsNoticedByTheFirstBytes) {
  Append(log_, "a\n");
  auto f = Follow(nullptr);
  EXPECT_EQ(PollLines(*f), Lines{"a"});
  Truncate(log_);
  Append(log_, "bbbbbbbbbb\nc\n");  // longer than what we had read: size alone cannot tell
  EXPECT_EQ(PollLines(*f), (Lines{"bbbbbbbbbb", "c"}));
  EXPECT_EQ(f->counters().truncations, 1u);
}

TEST_F(FollowerTest, TruncationDeliversThePartialLineReadBeforeIt) {
  Append(log_, "a\nhalf");
  auto f = Follow(nullptr);
  EXPECT_EQ(PollLines(*f), Lines{"a"});
  Truncate(log_);
  EXPECT_EQ(PollLines(*f), Lines{"half"});
  Append(log_, "z\n");
  EXPECT_EQ(PollLines(*f), Lines{"z"});
}

TEST_F(FollowerTest, DeleteAndRecreate) {
  Append(log_, "old\n");
  auto f = Follow(nullptr);
  EXPECT_EQ(PollLines(*f), Lines{"old"});
  ASSERT_EQ(::unlink(log_.c_str()), 0);
  EXPECT_EQ(PollLines(*f), Lines{});
  EXPECT_EQ(PollLines(*f), Lines{});
  EXPECT_EQ(f->counters().missing_polls, 2u);
  Append(log_, "fresh\n");
  EXPECT_EQ(PollLines(*f), Lines{"fresh"});
  EXPECT_EQ(f->counters().rotations, 1u);
}

TEST_F(FollowerTest, MissingFileIsRetriedQuietlyAndReadFromItsStartWhenItAppears) {
  FileFollowerOptions options;
  options.start_at = FileFollowerOptions::StartAt::kEnd;
  auto f = Follow(nullptr, options);
  EXPECT_EQ(f->start_decision(), StartDecision::kMissing);
  EXPECT_EQ(PollLines(*f), Lines{});
  EXPECT_EQ(PollLines(*f), Lines{});
  EXPECT_EQ(f->counters().missing_polls, 2u);
  Append(log_, "born\n");
  EXPECT_EQ(PollLines(*f), Lines{"born"});
}

TEST_F(FollowerTest, StartAtEndSkipsExistingLinesButNotTheUnfinishedOne) {
  Append(log_, "old1\nold2\npart");
  FileFollowerOptions options;
  options.start_at = FileFollowerOptions::StartAt::kEnd;
  auto f = Follow(nullptr, options);
  EXPECT_EQ(PollLines(*f), Lines{});
  Append(log_, "ial\nnew\n");
  EXPECT_EQ(PollLines(*f), (Lines{"partial", "new"}));
}

TEST_F(FollowerTest, MaxBytesPerPollSaysThereIsMore) {
  std::string data;
  for (int i = 0; i < 2000; ++i) data += "line " + std::to_string(i) + "\n";
  Append(log_, data);
  FileFollowerOptions options;
  options.read_block = 4096;
  options.max_bytes_per_poll = 4096;
  auto f = Follow(nullptr, options);
  size_t total = 0;
  int polls = 0;
  while (true) {
    std::vector<std::string> lines;
    auto r = f->Poll([&](std::string_view line, const FileLine&) { lines.emplace_back(line); });
    ASSERT_TRUE(r);
    total += lines.size();
    ++polls;
    if (!r->more) break;
    ASSERT_LT(polls, 1000);
  }
  EXPECT_EQ(total, 2000u);
  EXPECT_GT(polls, 2);
}

TEST_F(FollowerTest, NotARegularFileIsAnErrorNamingThePath) {
  std::filesystem::create_directory(log_);
  FileFollower f(log_, nullptr, clock_);
  auto started = f.Start();
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().ToString().find(log_), std::string::npos);
}

// --- restarts with a real SQLite store ---

TEST_F(FollowerTest, RestartResumesAtTheCheckpointNeitherLosingNorRepeatingBeforeIt) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  Append(log_, "l1\nl2\nl3\n");
  {
    auto f = Follow(store.get());
    EXPECT_EQ(f->start_decision(), StartDecision::kNoOffset);
    EXPECT_EQ(PollLines(*f), (Lines{"l1", "l2", "l3"}));
    ASSERT_TRUE(f->Checkpoint());
    Append(log_, "l4\nl5\n");
    EXPECT_EQ(PollLines(*f), (Lines{"l4", "l5"}));
    // "Crash": l4 and l5 were delivered but never confirmed by a checkpoint.
  }
  auto saved = store->GetCollectorOffset("file:" + log_);
  ASSERT_TRUE(saved && *saved);
  EXPECT_EQ((*saved)->offset, 9u);
  EXPECT_EQ((*saved)->fingerprint, OffsetFingerprint("l1\nl2\nl3\n"));
  EXPECT_EQ((*saved)->updated_at, clock_.Now());
  {
    auto f = Follow(store.get());
    EXPECT_EQ(f->start_decision(), StartDecision::kResumed);
    EXPECT_EQ(f->counters().resumed_from_offset, 9u);
    EXPECT_EQ(PollLines(*f), (Lines{"l4", "l5"}));  // at least once: repeated, not lost
    ASSERT_TRUE(f->Checkpoint());
    Append(log_, "l6\n");
  }
  auto f = Follow(store.get());
  EXPECT_EQ(PollLines(*f), Lines{"l6"});  // nothing before the checkpoint comes back
}

TEST_F(FollowerTest, CheckpointAtAGivenLinePosition) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  Append(log_, "a\nb\nc\n");
  {
    auto f = Follow(store.get());
    Got got;
    PollLines(*f, &got);
    ASSERT_EQ(got.infos.size(), 3u);
    ASSERT_TRUE(f->Checkpoint(got.infos[0].position));  // only "a" was processed
    FilePosition unknown{1, 2, 3};
    EXPECT_FALSE(f->Checkpoint(unknown));
  }
  auto f = Follow(store.get());
  EXPECT_EQ(PollLines(*f), (Lines{"b", "c"}));
}

TEST_F(FollowerTest, RotatedWhileStoppedReadsTheRestOfDotOneFirst) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  Append(log_, "a\nb\n");
  {
    auto f = Follow(store.get());
    EXPECT_EQ(PollLines(*f).size(), 2u);
    ASSERT_TRUE(f->Checkpoint());
  }
  Append(log_, "c\n");
  Rename(log_, log_ + ".1");
  Append(log_, "d\n");
  auto f = Follow(store.get());
  EXPECT_EQ(f->start_decision(), StartDecision::kRotatedWhileStopped);
  Got got;
  EXPECT_EQ(PollLines(*f, &got), (Lines{"c", "d"}));
  EXPECT_TRUE(got.infos[0].from_rotated);
  // A checkpoint while in the rotated file is resumed from there again.
  ASSERT_TRUE(f->Checkpoint(got.infos[0].position));
  f.reset();
  f = Follow(store.get());
  EXPECT_EQ(f->start_decision(), StartDecision::kRotatedWhileStopped);
  EXPECT_EQ(PollLines(*f), Lines{"d"});
}

TEST_F(FollowerTest, RotatedWhileStoppedFoundAmongSiblingsByInode) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  Append(log_, "a\n");
  {
    auto f = Follow(store.get());
    EXPECT_EQ(PollLines(*f).size(), 1u);
    ASSERT_TRUE(f->Checkpoint());
  }
  Append(log_, "b\n");
  Rename(log_, log_ + "-20240101");  // logrotate dateext
  Append(log_ + "-20231231.gz", "not this one");
  Append(log_, "c\n");
  auto f = Follow(store.get());
  EXPECT_EQ(f->start_decision(), StartDecision::kRotatedWhileStopped);
  EXPECT_EQ(PollLines(*f), (Lines{"b", "c"}));
}

TEST_F(FollowerTest, RotatedFileGoneWhileStoppedStartsTheNewFileAtZero) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  Append(log_, "a\n");
  {
    auto f = Follow(store.get());
    EXPECT_EQ(PollLines(*f).size(), 1u);
    ASSERT_TRUE(f->Checkpoint());
  }
  Rename(log_, log_ + ".1");
  Append(log_, "new\n");
  ASSERT_EQ(::unlink((log_ + ".1").c_str()), 0);
  auto f = Follow(store.get());
  EXPECT_EQ(f->start_decision(), StartDecision::kRotatedFileLost);
  EXPECT_EQ(PollLines(*f), Lines{"new"});
}

TEST_F(FollowerTest, TruncatedWhileStoppedStartsAtZero) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  Append(log_, "a long first line\nanother\n");
  {
    auto f = Follow(store.get());
    EXPECT_EQ(PollLines(*f).size(), 2u);
    ASSERT_TRUE(f->Checkpoint());
  }
  Truncate(log_);
  Append(log_, "x\n");
  auto f = Follow(store.get());
  EXPECT_EQ(f->start_decision(), StartDecision::kTruncatedWhileStopped);
  EXPECT_EQ(f->counters().truncations, 1u);
  EXPECT_EQ(PollLines(*f), Lines{"x"});
}

TEST_F(FollowerTest, RewrittenInPlaceWhileStoppedIsCaughtByTheFingerprint) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  Append(log_, "aaaa\n");
  {
    auto f = Follow(store.get());
    EXPECT_EQ(PollLines(*f).size(), 1u);
    ASSERT_TRUE(f->Checkpoint());
  }
  struct stat before {};
  ASSERT_EQ(::stat(log_.c_str(), &before), 0);
  Truncate(log_);
  Append(log_, "bbbb\ncc\n");  // same inode, longer than the offset, other first bytes
  auto f = Follow(store.get());
  EXPECT_EQ(f->start_decision(), StartDecision::kTruncatedWhileStopped);
  EXPECT_EQ(PollLines(*f), (Lines{"bbbb", "cc"}));
}

TEST_F(FollowerTest, StoredOffsetWinsOverStartAtEnd) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  Append(log_, "a\n");
  {
    auto f = Follow(store.get());
    EXPECT_EQ(PollLines(*f).size(), 1u);
    ASSERT_TRUE(f->Checkpoint());
  }
  Append(log_, "b\n");
  FileFollowerOptions options;
  options.start_at = FileFollowerOptions::StartAt::kEnd;
  auto f = Follow(store.get(), options);
  EXPECT_EQ(PollLines(*f), Lines{"b"});
}

TEST_F(FollowerTest, RotationWhileRunningThenRestartLosesNothing) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  Lines all;
  auto collect = [&](FileFollower& f) {
    for (auto& line : PollLines(f)) all.push_back(line);
  };
  {
    auto f = Follow(store.get());
    for (int i = 0; i < 5; ++i) Append(log_, "r" + std::to_string(i) + "\n");
    collect(*f);
    ASSERT_TRUE(f->Checkpoint());
    Rename(log_, log_ + ".1");
    Append(log_ + ".1", "r5\n");
    Append(log_, "r6\n");
    collect(*f);
    ASSERT_TRUE(f->Checkpoint());
    Append(log_, "r7\n");
  }
  auto f = Follow(store.get());
  EXPECT_EQ(f->start_decision(), StartDecision::kResumed);
  collect(*f);
  EXPECT_EQ(all, (Lines{"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7"}));
}

TEST(OffsetFingerprintTest, CoversOnlyTheFirstKilobyte) {
  EXPECT_EQ(OffsetFingerprint(""), "");
  EXPECT_EQ(OffsetFingerprint("a").size(), 16u);
  EXPECT_NE(OffsetFingerprint("a"), OffsetFingerprint("b"));
  std::string k(1024, 'x');
  EXPECT_EQ(OffsetFingerprint(k), OffsetFingerprint(k + "more"));
}

}  // namespace
}  // namespace mamori::rse::collect
