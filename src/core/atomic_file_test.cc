#include "core/atomic_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace mamori {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "mamori-atomic-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  static std::string Read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::vector<std::string> Names() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_)) out.push_back(e.path().filename());
    std::sort(out.begin(), out.end());
    return out;
  }

  fs::path dir_;
};

TEST_F(AtomicFileTest, CreatesFileWithContent) {
  fs::path p = dir_ / "list.txt";
  ASSERT_TRUE(WriteFileAtomically(p, "1.2.3.4\n"));
  EXPECT_EQ(Read(p), "1.2.3.4\n");
  EXPECT_THAT(Names(), ::testing::ElementsAre("list.txt"));  // no temporary left
  struct stat st {};
  ASSERT_EQ(::stat(p.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
}

TEST_F(AtomicFileTest, ReplacesExistingFileAndKeepsItsMode) {
  fs::path p = dir_ / "list.txt";
  ASSERT_TRUE(WriteFileAtomically(p, "old\n"));
  ASSERT_EQ(::chmod(p.c_str(), 0600), 0);
  ASSERT_TRUE(WriteFileAtomically(p, "new\n"));
  EXPECT_EQ(Read(p), "new\n");
  struct stat st {};
  ASSERT_EQ(::stat(p.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_TRUE(WriteFileAtomically(p, ""));
  EXPECT_EQ(Read(p), "");
  EXPECT_THAT(Names(), ::testing::ElementsAre("list.txt"));
}

TEST_F(AtomicFileTest, MissingDirectoryFailsAndCreatesNothing) {
  fs::path p = dir_ / "missing" / "list.txt";
  auto status = WriteFileAtomically(p, "x");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kIo);
  EXPECT_EQ(status.error().context, p.string());
  EXPECT_THAT(status.error().message, HasSubstr("No such file or directory"));
  EXPECT_TRUE(Names().empty());
}

TEST_F(AtomicFileTest, FailedRenameRemovesTemporaryFile) {
  // A non-empty directory in the way: rename() fails after the content was written.
  fs::path p = dir_ / "taken";
  fs::create_directory(p);
  std::ofstream(p / "keep") << "x";
  auto status = WriteFileAtomically(p, "content");
  ASSERT_FALSE(status);
  EXPECT_THAT(status.error().message, HasSubstr("cannot replace"));
  EXPECT_THAT(Names(), ::testing::ElementsAre("taken"));
  EXPECT_EQ(Read(p / "keep"), "x");
}

TEST_F(AtomicFileTest, FailedWriteLeavesOldFileUntouched) {
  fs::path p = dir_ / "list.txt";
  ASSERT_TRUE(WriteFileAtomically(p, "old\n"));
  // A file size limit makes write() fail (EFBIG) half way, as a full disk would.
  struct rlimit saved {};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = saved;
  small.rlim_cur = 16;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  auto status = WriteFileAtomically(p, std::string(4096, 'n'));
  ::setrlimit(RLIMIT_FSIZE, &saved);
  std::signal(SIGXFSZ, old_handler);
  ASSERT_FALSE(status);
  EXPECT_THAT(status.error().message, HasSubstr("cannot write"));
  EXPECT_EQ(Read(p), "old\n");
  EXPECT_THAT(Names(), ::testing::ElementsAre("list.txt"));
}

TEST_F(AtomicFileTest, RelativePathUsesCurrentDirectory) {
  fs::path cwd = fs::current_path();
  fs::current_path(dir_);
  auto status = WriteFileAtomically("rel.txt", "r");
  fs::current_path(cwd);
  ASSERT_TRUE(status) << status.error().ToString();
  EXPECT_EQ(Read(dir_ / "rel.txt"), "r");
}

TEST_F(AtomicFileTest, DirectoryPathIsRejected) {
  auto status = WriteFileAtomically(dir_ / "", "x");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace mamori
