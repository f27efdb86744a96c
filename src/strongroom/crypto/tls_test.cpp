#include "strongroom/crypto/tls.hpp"

#include <gtest/gtest.h>
#include <openssl/ssl.h>

namespace strongroom::crypto {
namespace {

using namespace std::chrono_literals;

TlsCredentials MakeCert() {
  auto creds =
      GenerateSelfSignedCertificate({"localhost"}, {"127.0.0.1", "::1"},
                                    std::chrono::system_clock::now(), std::chrono::days(397));
  EXPECT_TRUE(creds.ok()) << creds.status().ToString();
  return std::move(creds).value();
}

TEST(Tls, SelfSignedCertificateNamesTheLocalHostAndMatchesItsKey) {
  const TlsCredentials creds = MakeCert();
  const auto info = CheckCertificateAndKey(creds.cert_chain_pem, creds.private_key_pem);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_NE(info->subject.find("CN=localhost"), std::string::npos);
  EXPECT_EQ(info->subject_alt_names,
            (std::vector<std::string>{"DNS:localhost", "IP:127.0.0.1", "IP:::1"}));
  const auto days =
      std::chrono::duration_cast<std::chrono::hours>(info->not_after - info->not_before) / 24;
  EXPECT_EQ(days.count(), 397);
  EXPECT_EQ(info->sha256_fingerprint.size(), 64u);
  EXPECT_NE(creds.private_key_pem.Reveal().find("BEGIN PRIVATE KEY"), std::string::npos);
}

TEST(Tls, RefusesAKeyThatBelongsToAnotherCertificate) {
  const TlsCredentials a = MakeCert();
  const TlsCredentials b = MakeCert();
  const auto r = CheckCertificateAndKey(a.cert_chain_pem, b.private_key_pem);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("does not belong"), std::string::npos);
  EXPECT_FALSE(CheckCertificateAndKey("not a cert", a.private_key_pem).ok());
  EXPECT_FALSE(
      CheckCertificateAndKey(a.cert_chain_pem, base::SecretString(std::string("nope"))).ok());
}

TEST(Tls, ServerContextAllowsOnlyTls12And13AeadSuitesWithoutCompressionOrRenegotiation) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  ASSERT_NE(ctx, nullptr);
  const TlsCredentials creds = MakeCert();
  ASSERT_TRUE(ConfigureServerTls(ctx, creds).ok());
  EXPECT_EQ(SSL_CTX_get_min_proto_version(ctx), TLS1_2_VERSION);
  EXPECT_EQ(SSL_CTX_get_max_proto_version(ctx), TLS1_3_VERSION);
  const uint64_t opts = SSL_CTX_get_options(ctx);
  EXPECT_TRUE(opts & SSL_OP_NO_COMPRESSION);
  EXPECT_TRUE(opts & SSL_OP_NO_RENEGOTIATION);
  EXPECT_FALSE(opts & SSL_OP_ALLOW_CLIENT_RENEGOTIATION);

  SSL* ssl = SSL_new(ctx);
  STACK_OF(SSL_CIPHER)* ciphers = SSL_get1_supported_ciphers(ssl);
  ASSERT_NE(ciphers, nullptr);
  int n = sk_SSL_CIPHER_num(ciphers);
  EXPECT_GE(n, 6);
  for (int i = 0; i < n; ++i) {
    const SSL_CIPHER* c = sk_SSL_CIPHER_value(ciphers, i);
    EXPECT_TRUE(SSL_CIPHER_is_aead(c)) << SSL_CIPHER_get_name(c);
    EXPECT_NE(SSL_CIPHER_get_kx_nid(c), NID_kx_rsa)
        << "no forward secrecy: " << SSL_CIPHER_get_name(c);
  }
  sk_SSL_CIPHER_free(ciphers);
  SSL_free(ssl);
  SSL_CTX_free(ctx);
}

}  // namespace
}  // namespace strongroom::crypto
