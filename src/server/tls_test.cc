// HTTPS with a self-signed certificate made here with OpenSSL, and the errors for bad TLS files.
#include "server/tls.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "server/api_server.h"
#include "server/auth/auth.h"

namespace mamori::server {
namespace {

namespace fs = std::filesystem;

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

Pkey NewKey() { return Pkey(EVP_EC_gen("P-256")); }

// Writes a self-signed certificate for CN=127.0.0.1 of `key` and the key as PEM files.
void WriteCert(EVP_PKEY* key, const fs::path& cert_path, const fs::path& key_path) {
  std::unique_ptr<X509, X509Free> cert(X509_new());
  ASSERT_TRUE(cert);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  ASSERT_GT(X509_sign(cert.get(), key, EVP_sha256()), 0);
  FILE* f = std::fopen(cert_path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  PEM_write_X509(f, cert.get());
  std::fclose(f);
  f = std::fopen(key_path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("mamori-tls-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + std::to_string(reinterpret_cast<uintptr_t>(this)));
    fs::create_directories(dir_);
    key_ = NewKey();
    ASSERT_TRUE(key_);
    WriteCert(key_.get(), dir_ / "cert.pem", dir_ / "key.pem");
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  Pkey key_;
};

TEST_F(TlsTest, ServesHttpsWithASecureCookie) {
  auto store = store::OpenSqliteStore(":memory:");
  ASSERT_TRUE(store);
  FakeClock clock;
  ASSERT_TRUE((*store)->AddUser({.name = "ada",
                                 .role = "admin",
                                 .password_hash = *auth::HashPassword("ada-secret-pw"),
                                 .created_at = clock.Now()}));
  ServerOptions options;
  options.port = 0;
  options.tls_cert = dir_ / "cert.pem";
  options.tls_key = dir_ / "key.pem";
  ApiServer server(**store, clock, options);
  auto started = server.Start();
  ASSERT_TRUE(started) << started.error().ToString();

  httplib::SSLClient https("127.0.0.1", server.port());
  https.set_ca_cert_path((dir_ / "cert.pem").c_str());
  https.enable_server_certificate_verification(true);
  auto health = https.Get("/api/v1/health");
  ASSERT_TRUE(health) << httplib::to_string(health.error());
  EXPECT_EQ(health->status, 200);
  auto login = https.Post("/api/v1/session", R"({"username":"ada","password":"ada-secret-pw"})",
                          "application/json");
  ASSERT_TRUE(login);
  EXPECT_EQ(login->status, 200);
  EXPECT_NE(login->get_header_value("Set-Cookie").find("; Secure"), std::string::npos);

  // Plain HTTP to the TLS port gets no answer.
  httplib::Client plain("127.0.0.1", server.port());
  plain.set_read_timeout(2, 0);
  auto refused = plain.Get("/api/v1/health");
  EXPECT_TRUE(!refused || refused->status != 200);
}

TEST_F(TlsTest, BadFilesAreErrorsNamingTheFile) {
  std::string cert = dir_ / "cert.pem";
  std::string key = dir_ / "key.pem";
  EXPECT_TRUE(CheckTlsFiles("", ""));
  EXPECT_TRUE(CheckTlsFiles(cert, key));

  auto only_one = CheckTlsFiles(cert, "");
  ASSERT_FALSE(only_one);
  EXPECT_NE(only_one.error().message.find("both or neither"), std::string::npos);

  auto missing = CheckTlsFiles(cert, (dir_ / "nope.pem").string());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().context, (dir_ / "nope.pem").string());

  std::ofstream(dir_ / "junk.pem") << "not a certificate\n";
  auto junk = CheckTlsFiles((dir_ / "junk.pem").string(), key);
  ASSERT_FALSE(junk);
  EXPECT_EQ(junk.error().context, (dir_ / "junk.pem").string());

  Pkey other = NewKey();
  WriteCert(other.get(), dir_ / "other-cert.pem", dir_ / "other-key.pem");
  auto mismatch = CheckTlsFiles(cert, (dir_ / "other-key.pem").string());
  ASSERT_FALSE(mismatch);
  EXPECT_NE(mismatch.error().message.find("does not belong"), std::string::npos);
  EXPECT_EQ(mismatch.error().context, (dir_ / "other-key.pem").string());

  // The server refuses to start with them.
  auto store = store::OpenSqliteStore(":memory:");
  FakeClock clock;
  ServerOptions options;
  options.port = 0;
  options.tls_cert = cert;
  options.tls_key = (dir_ / "other-key.pem").string();
  ApiServer server(**store, clock, options);
  auto started = server.Start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().context, options.tls_key);
}

}  // namespace
}  // namespace mamori::server
