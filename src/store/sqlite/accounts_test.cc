#include <gtest/gtest.h>

#include "store/sqlite/test_util.h"
#include "store/store.h"

namespace mamori::store {
namespace {

using testing::TempDir;

UserRecord User(std::string name, std::string role) {
  UserRecord u;
  u.name = std::move(name);
  u.role = std::move(role);
  u.password_hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";
  u.created_at = 1'700'000'000;
  return u;
}

SessionRecord Session(std::string id_hash, std::string user, UnixSeconds created,
                      UnixSeconds expires) {
  return {.id_hash = std::move(id_hash),
          .user = std::move(user),
          .csrf_token = "csrf",
          .created_at = created,
          .expires_at = expires,
          .last_seen_at = created};
}

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = OpenSqliteStore(dir_.File("mamori.db"));
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }
  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(AccountsTest, UsersAddGetUpdateRemove) {
  auto added = store_->AddUser(User("alice", "admin"));
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_GT(added->id, 0);
  auto dup = store_->AddUser(User("alice", "viewer"));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);
  auto bad_role = store_->AddUser(User("bob", "root"));
  ASSERT_FALSE(bad_role);
  EXPECT_EQ(bad_role.error().code, ErrorCode::kInvalidArgument);

  ASSERT_TRUE(store_->AddUser(User("bob", "viewer")));
  UserRecord changed = User("bob", "operator");
  changed.disabled = true;
  changed.password_hash = "$argon2id$other";
  ASSERT_TRUE(store_->UpdateUser(changed));
  auto bob = *store_->GetUser("bob");
  ASSERT_TRUE(bob);
  EXPECT_EQ(bob->role, "operator");
  EXPECT_TRUE(bob->disabled);
  EXPECT_EQ(bob->password_hash, "$argon2id$other");
  EXPECT_EQ(store_->UpdateUser(User("carol", "viewer")).error().code, ErrorCode::kNotFound);

  auto users = *store_->ListUsers();
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0].name, "alice");
  EXPECT_EQ(users[1].name, "bob");

  ASSERT_TRUE(store_->AddSession(Session("s1", "bob", 100, 200)));
  ASSERT_TRUE(store_->RemoveUser("bob"));
  EXPECT_FALSE(*store_->GetUser("bob"));
  EXPECT_FALSE(*store_->GetSession("s1")) << "a removed user's sessions go with it";
  EXPECT_EQ(store_->RemoveUser("bob").error().code, ErrorCode::kNotFound);
}

TEST_F(AccountsTest, SessionsLiveUntilRemovedAndExpiredOnesArePurged) {
  ASSERT_TRUE(store_->AddUser(User("alice", "admin")));
  ASSERT_TRUE(store_->AddSession(Session("old", "alice", 100, 200)));
  ASSERT_TRUE(store_->AddSession(Session("a", "alice", 150, 1000)));
  auto a = *store_->GetSession("a");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->user, "alice");
  EXPECT_EQ(a->csrf_token, "csrf");
  EXPECT_EQ(a->expires_at, 1000);
  ASSERT_TRUE(store_->TouchSession("a", 500));
  EXPECT_EQ((*store_->GetSession("a"))->last_seen_at, 500);

  // A new login purges sessions that expired before it.
  ASSERT_TRUE(store_->AddSession(Session("b", "alice", 300, 1300)));
  EXPECT_FALSE(*store_->GetSession("old"));
  EXPECT_TRUE(*store_->GetSession("a"));

  ASSERT_TRUE(store_->RemoveSession("a"));
  EXPECT_FALSE(*store_->GetSession("a"));
  EXPECT_EQ(*store_->RemoveUserSessions("alice"), 1);
  EXPECT_FALSE(*store_->GetSession("b"));
}

TEST_F(AccountsTest, TokensAreFoundByHashAndRevokedOnce) {
  ApiTokenRecord t{
      .name = "ci", .token_hash = "h1", .role = "operator", .created_by = "cli", .created_at = 100};
  auto added = store_->AddApiToken(t);
  ASSERT_TRUE(added) << added.error().message;
  t.token_hash = "h2";
  t.name = "ci";  // names need not be unique
  auto second = store_->AddApiToken(t);
  ASSERT_TRUE(second);
  EXPECT_NE(second->id, added->id);

  auto found = *store_->GetApiTokenByHash("h1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, added->id);
  EXPECT_EQ(found->role, "operator");
  EXPECT_EQ(found->revoked_at, 0);
  EXPECT_FALSE(*store_->GetApiTokenByHash("nope"));

  ASSERT_TRUE(store_->TouchApiToken(added->id, 150));
  ASSERT_TRUE(store_->RevokeApiToken(added->id, 200));
  ASSERT_TRUE(store_->RevokeApiToken(added->id, 300));
  found = *store_->GetApiTokenByHash("h1");
  EXPECT_EQ(found->last_used_at, 150);
  EXPECT_EQ(found->revoked_at, 200) << "revoking again keeps the first time";
  EXPECT_EQ(store_->RevokeApiToken(999, 1).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->ListApiTokens()->size(), 2u);
}

}  // namespace
}  // namespace mamori::store
