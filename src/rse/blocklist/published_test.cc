#include "rse/blocklist/published.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace mamori::rse::blocklist {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "mamori_published_XXXXXX");
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

DeviceProfile Profile(std::string name, DeviceKind kind) {
  DeviceProfile p;
  p.name = std::move(name);
  p.kind = kind;
  return p;
}

TEST(PublishedListsTest, PublishComputesAStableContentEtag) {
  PublishedLists lists;
  DeviceProfile fw = Profile("fw", DeviceKind::kPaloAltoEdl);
  EXPECT_FALSE(lists.Get("fw"));
  ASSERT_TRUE(lists.Publish(fw, "198.51.100.7\n", 1000, 1));
  auto first = lists.Get("fw");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->profile, "fw");
  EXPECT_EQ(first->content, "198.51.100.7\n");
  EXPECT_EQ(first->content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(first->built_at, 1000);
  EXPECT_EQ(first->entries, 1);
  // printf '198.51.100.7\n' | sha256sum, first 32 hex digits, quoted.
  ASSERT_EQ(first->etag.size(), 34u);
  EXPECT_EQ(first->etag.front(), '"');
  EXPECT_EQ(first->etag.back(), '"');

  // Same content later: same ETag. Other content: another one.
  ASSERT_TRUE(lists.Publish(fw, "198.51.100.7\n", 2000, 1));
  EXPECT_EQ(lists.Get("fw")->etag, first->etag);
  EXPECT_EQ(lists.Get("fw")->built_at, 2000);
  ASSERT_TRUE(lists.Publish(fw, "198.51.100.8\n", 3000, 1));
  EXPECT_NE(lists.Get("fw")->etag, first->etag);
}

TEST(PublishedListsTest, EtagIsTheSha256PrefixOfTheContent) {
  PublishedLists lists;
  ASSERT_TRUE(lists.Publish(Profile("x", DeviceKind::kHosts), "abc", 1, 0));
  // SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
  EXPECT_EQ(lists.Get("x")->etag, "\"ba7816bf8f01cfea414140de5dae2223\"");
}

TEST(PublishedListsTest, FailureKeepsThePublishedContent) {
  PublishedLists lists;
  DeviceProfile fw = Profile("fw", DeviceKind::kFortigateFeed);
  ASSERT_TRUE(lists.Publish(fw, "a\n", 1000, 1));
  std::string etag = lists.Get("fw")->etag;
  lists.RecordFailure("fw", "capacity exceeded: 60000 > 50000", 2000);
  auto after = lists.Get("fw");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->content, "a\n");
  EXPECT_EQ(after->etag, etag);
  EXPECT_EQ(after->built_at, 1000);
  EXPECT_EQ(after->last_error, "capacity exceeded: 60000 > 50000");
  EXPECT_EQ(after->last_error_at, 2000);
  // The next good build clears the error.
  ASSERT_TRUE(lists.Publish(fw, "b\n", 3000, 1));
  EXPECT_EQ(lists.Get("fw")->last_error, "");
  EXPECT_EQ(lists.Get("fw")->last_error_at, 0);
}

TEST(PublishedListsTest, FailureBeforeAnyBuildIsVisibleButPublishesNothing) {
  PublishedLists lists;
  lists.RecordFailure("dns", "store busy", 5);
  auto list = lists.Get("dns");
  ASSERT_TRUE(list);
  EXPECT_TRUE(list->etag.empty());  // nothing published: not served
  EXPECT_TRUE(list->content.empty());
  EXPECT_EQ(list->last_error, "store busy");
}

TEST(PublishedListsTest, AllIsSortedByProfile) {
  PublishedLists lists;
  ASSERT_TRUE(lists.Publish(Profile("zeta", DeviceKind::kCsv), "z", 1, 1));
  ASSERT_TRUE(lists.Publish(Profile("alpha", DeviceKind::kStix), "{}", 1, 0));
  lists.RecordFailure("mid", "boom", 2);
  auto all = lists.All();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].profile, "alpha");
  EXPECT_EQ(all[0].content_type, "application/json");
  EXPECT_EQ(all[1].profile, "mid");
  EXPECT_EQ(all[2].profile, "zeta");
  EXPECT_EQ(all[2].content_type, "text/csv; charset=utf-8");
}

TEST(PublishedListsTest, PathForUsesTheKindsExtension) {
  PublishedLists lists("/srv/out");
  auto path = [&](DeviceKind kind) { return lists.PathFor(Profile("p", kind)).string(); };
  EXPECT_EQ(path(DeviceKind::kPaloAltoEdl), "/srv/out/p.txt");
  EXPECT_EQ(path(DeviceKind::kFortigateFeed), "/srv/out/p.txt");
  EXPECT_EQ(path(DeviceKind::kPf), "/srv/out/p.txt");
  EXPECT_EQ(path(DeviceKind::kHosts), "/srv/out/p.txt");
  EXPECT_EQ(path(DeviceKind::kNftables), "/srv/out/p.nft");
  EXPECT_EQ(path(DeviceKind::kIpset), "/srv/out/p.ipset");
  EXPECT_EQ(path(DeviceKind::kUnboundRpz), "/srv/out/p.rpz");
  EXPECT_EQ(path(DeviceKind::kBindRpz), "/srv/out/p.rpz");
  EXPECT_EQ(path(DeviceKind::kCsv), "/srv/out/p.csv");
  EXPECT_EQ(path(DeviceKind::kStix), "/srv/out/p.json");
}

TEST(PublishedListsTest, DiskRoundTrip) {
  TempDir tmp;
  fs::path out = tmp.path() / "lists";  // created on first publish
  DeviceProfile fw = Profile("fw", DeviceKind::kPaloAltoEdl);
  DeviceProfile dns = Profile("dns", DeviceKind::kUnboundRpz);
  DeviceProfile never = Profile("never", DeviceKind::kHosts);
  std::string etag;
  {
    PublishedLists lists(out);
    ASSERT_TRUE(lists.Publish(fw, "198.51.100.7\n203.0.113.0/24\n", 1000, 2));
    ASSERT_TRUE(lists.Publish(dns, "; zone\n", 1000, 0));
    lists.RecordFailure("fw", "later build failed", 2000);  // does not touch the file
    etag = lists.Get("fw")->etag;
  }
  EXPECT_EQ(ReadFile(out / "fw.txt"), "198.51.100.7\n203.0.113.0/24\n");
  EXPECT_EQ(ReadFile(out / "dns.rpz"), "; zone\n");
  EXPECT_FALSE(fs::exists(out / "never.txt"));
  // No temporary files are left behind.
  EXPECT_EQ(std::distance(fs::directory_iterator(out), fs::directory_iterator()), 2);

  struct utimbuf times {1'700'000'123, 1'700'000'123};
  ASSERT_EQ(utime((out / "fw.txt").c_str(), &times), 0);

  PublishedLists restarted(out);
  ASSERT_TRUE(restarted.LoadFromDisk({fw, dns, never}));
  auto fw_list = restarted.Get("fw");
  ASSERT_TRUE(fw_list);
  EXPECT_EQ(fw_list->content, "198.51.100.7\n203.0.113.0/24\n");
  EXPECT_EQ(fw_list->etag, etag);
  EXPECT_EQ(fw_list->built_at, 1'700'000'123);
  EXPECT_EQ(fw_list->entries, -1);  // unknown until the next build
  EXPECT_EQ(fw_list->content_type, "text/plain; charset=utf-8");
  EXPECT_TRUE(restarted.Get("dns"));
  EXPECT_FALSE(restarted.Get("never"));
}

TEST(PublishedListsTest, LoadFromDiskDoesNotReplaceANewerBuild) {
  TempDir tmp;
  DeviceProfile fw = Profile("fw", DeviceKind::kPaloAltoEdl);
  {
    PublishedLists old(tmp.path());
    ASSERT_TRUE(old.Publish(fw, "old\n", 1, 1));
  }
  PublishedLists lists(tmp.path());
  lists.RecordFailure("fw", "first build failed", 5);
  ASSERT_TRUE(lists.LoadFromDisk({fw}));
  // The file is served, and the failure noted before loading is kept.
  EXPECT_EQ(lists.Get("fw")->content, "old\n");
  EXPECT_EQ(lists.Get("fw")->last_error, "first build failed");

  PublishedLists fresh(tmp.path());
  ASSERT_TRUE(fresh.Publish(fw, "new\n", 10, 1));
  ASSERT_TRUE(fresh.LoadFromDisk({fw}));
  EXPECT_EQ(fresh.Get("fw")->content, "new\n");
}

TEST(PublishedListsTest, WriteFailureIsReportedButTheListIsPublished) {
  TempDir tmp;
  fs::path blocker = tmp.path() / "file";
  std::ofstream(blocker) << "x";
  PublishedLists lists(blocker / "sub");  // cannot create a directory below a file
  auto status = lists.Publish(Profile("fw", DeviceKind::kPf), "a\n", 1, 1);
  EXPECT_FALSE(status);
  EXPECT_EQ(lists.Get("fw")->content, "a\n");
}

TEST(PublishedListsTest, ConcurrentPublishAndRead) {
  PublishedLists lists;
  DeviceProfile fw = Profile("fw", DeviceKind::kPaloAltoEdl);
  std::thread writer([&] {
    for (int i = 0; i < 500; ++i) {
      ASSERT_TRUE(lists.Publish(fw, std::string(static_cast<size_t>(i % 7) + 1, 'a'), i, i));
      if (i % 10 == 0) lists.RecordFailure("fw", "x", i);
    }
  });
  for (int i = 0; i < 500; ++i) {
    auto l = lists.Get("fw");
    if (l && !l->etag.empty()) {
      EXPECT_FALSE(l->content.empty());
    }
    (void)lists.All();
  }
  writer.join();
}

}  // namespace
}  // namespace mamori::rse::blocklist
