#include <gtest/gtest.h>

#include "store/sqlite/test_util.h"
#include "store/store.h"

namespace mamori::store {
namespace {

using testing::ExecRaw;
using testing::OpenRaw;
using testing::TempDir;

AuditEntry Entry(std::string actor, std::string action, std::string target) {
  AuditEntry e;
  e.at = 1'700'000'000;
  e.actor = std::move(actor);
  e.action = std::move(action);
  e.target = std::move(target);
  e.details_json = R"({"duration":"1h"})";
  return e;
}

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("mamori.db");
    auto opened = OpenSqliteStore(path_);
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    for (auto target : {"203.0.113.7", "198.51.100.9", "192.0.2.1"}) {
      ASSERT_TRUE(store_->AppendAudit(Entry("operator:alice", "approve", target)));
    }
  }
  TempDir dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
};

TEST_F(AuditTest, RowsChainAndVerify) {
  auto rows = *store_->ListAudit(0, 10);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2].prev_hash, kAuditGenesisHash);  // oldest last
  EXPECT_EQ(rows[1].prev_hash, rows[2].hash);
  EXPECT_EQ(rows[0].prev_hash, rows[1].hash);
  EXPECT_EQ(rows[0].hash, AuditHash(rows[0]));
  auto v = store_->VerifyAudit();
  ASSERT_TRUE(v);
  EXPECT_EQ(v->entries, 3);
  EXPECT_EQ(v->first_bad_id, 0) << v->reason;
  EXPECT_EQ(v->head_hash, rows[0].hash);
  EXPECT_EQ(store_->ListAudit(rows[1].id, 10)->size(), 1u);  // paging
}

TEST_F(AuditTest, SqlCannotUpdateOrDelete) {
  auto raw = OpenRaw(path_);
  EXPECT_NE(ExecRaw(raw.get(), "UPDATE audit_log SET target = 'x' WHERE id = 2", false), SQLITE_OK);
  EXPECT_NE(ExecRaw(raw.get(), "DELETE FROM audit_log WHERE id = 2", false), SQLITE_OK);
}

TEST_F(AuditTest, TamperingIsFoundAtTheChangedRow) {
  auto raw = OpenRaw(path_);
  ExecRaw(raw.get(), "DROP TRIGGER audit_log_no_update");
  ExecRaw(raw.get(), "UPDATE audit_log SET target = '10.0.0.1' WHERE id = 2");
  auto v = *store_->VerifyAudit();
  EXPECT_EQ(v.first_bad_id, 2);
  EXPECT_NE(v.reason.find("changed"), std::string::npos) << v.reason;
}

TEST_F(AuditTest, DeletionIsFound) {
  auto raw = OpenRaw(path_);
  ExecRaw(raw.get(), "DROP TRIGGER audit_log_no_delete");
  ExecRaw(raw.get(), "DELETE FROM audit_log WHERE id = 2");
  auto v = *store_->VerifyAudit();
  EXPECT_EQ(v.first_bad_id, 3);
  EXPECT_NE(v.reason.find("deleted"), std::string::npos) << v.reason;
}

TEST_F(AuditTest, FieldBoundariesCannotBeShifted) {
  // "ab" + "c" and "a" + "bc" must hash differently.
  AuditEntry a = Entry("ab", "c", "");
  AuditEntry b = Entry("a", "bc", "");
  a.prev_hash = b.prev_hash = std::string(kAuditGenesisHash);
  EXPECT_NE(AuditHash(a), AuditHash(b));
  EXPECT_FALSE(store_->AppendAudit(Entry("", "approve", "x")));
}

}  // namespace
}  // namespace mamori::store
