#include "strongroom/crypto/password_hash.hpp"

#include <argon2.h>
#include <gtest/gtest.h>

#include <fstream>

#include "strongroom/crypto/random.hpp"
#include "strongroom/crypto/testing/vectors.hpp"

namespace strongroom::crypto {
namespace {

// libsodium's Argon2id takes no secret, no associated data and one lane, so the RFC 9106 §5.3
// vector (which uses all three) cannot be fed to it directly. The chain of evidence is instead:
// (1) the reference implementation (Debian's libargon2, the PHC winner's code) reproduces the
// RFC vector; (2) libsodium agrees with that reference on every input it can take.
base::Bytes ReferenceArgon2id(base::ByteView pwd, base::ByteView salt, base::ByteView secret,
                              base::ByteView ad, std::uint32_t t, std::uint32_t m_kib,
                              std::uint32_t lanes, std::size_t out_len) {
  base::Bytes out(out_len);
  argon2_context ctx{};
  ctx.out = out.data();
  ctx.outlen = static_cast<std::uint32_t>(out.size());
  ctx.pwd = const_cast<std::uint8_t*>(pwd.data());
  ctx.pwdlen = static_cast<std::uint32_t>(pwd.size());
  ctx.salt = const_cast<std::uint8_t*>(salt.data());
  ctx.saltlen = static_cast<std::uint32_t>(salt.size());
  ctx.secret = const_cast<std::uint8_t*>(secret.data());
  ctx.secretlen = static_cast<std::uint32_t>(secret.size());
  ctx.ad = const_cast<std::uint8_t*>(ad.data());
  ctx.adlen = static_cast<std::uint32_t>(ad.size());
  ctx.t_cost = t;
  ctx.m_cost = m_kib;
  ctx.lanes = lanes;
  ctx.threads = lanes;
  ctx.version = ARGON2_VERSION_13;
  EXPECT_EQ(argon2_ctx(&ctx, Argon2_id), ARGON2_OK);
  return out;
}

TEST(Argon2id, ReferenceImplementationReproducesRfc9106Vector) {
  const base::Bytes pwd(32, 0x01), salt(16, 0x02), secret(8, 0x03), ad(12, 0x04);
  EXPECT_EQ(base::HexEncode(ReferenceArgon2id(pwd, salt, secret, ad, 3, 32, 4, 32)),
            "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
}

TEST(Argon2id, LibsodiumAgreesWithTheReferenceOnRandomInputs) {
  for (int i = 0; i < 24; ++i) {
    const base::Bytes pwd = RandomBytes(i == 0 ? 0 : 1 + RandomUniform(64));  // First: empty.
    const base::Bytes salt = RandomBytes(16);
    const Argon2idParams params{static_cast<std::uint32_t>(1 + RandomUniform(4)),
                                static_cast<std::uint32_t>(8 + RandomUniform(256))};
    const std::size_t out_len = 16 + RandomUniform(49);
    const auto ours = Argon2idRaw(pwd, salt, params, out_len);
    ASSERT_TRUE(ours.ok()) << ours.status().ToString();
    EXPECT_EQ(*ours, ReferenceArgon2id(pwd, salt, {}, {}, params.iterations, params.memory_kib, 1,
                                       out_len))
        << "t=" << params.iterations << " m=" << params.memory_kib;
  }
}

// PHC strings made by the reference implementation's CLI; see tests/vectors/SOURCES.md.
TEST(Argon2id, VerifiesHashesMadeByTheReferenceTool) {
  std::ifstream in(testing::ProjectVectorsDir() / "argon2id/reference-cli.txt");
  ASSERT_TRUE(in.good());
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto tab = line.find('\t');
    ASSERT_NE(tab, std::string::npos);
    const std::string encoded = line.substr(tab + 1);
    EXPECT_TRUE(*VerifyPassphrase(encoded, base::SecretString(line.substr(0, tab)))) << encoded;
    EXPECT_FALSE(*VerifyPassphrase(encoded, base::SecretString(line.substr(0, tab) + "x")));
    ++n;
  }
  EXPECT_EQ(n, 3);
}

TEST(PassphraseHash, HashesVerifiesAndCarriesItsParameters) {
  const base::SecretString pw(std::string("correct horse battery staple"));
  const Argon2idParams cheap{1, 8 * 1024};
  const auto encoded = HashPassphrase(pw, cheap);
  ASSERT_TRUE(encoded.ok());
  EXPECT_TRUE(encoded->starts_with("$argon2id$v=19$m=8192,t=1,p=1$")) << *encoded;
  EXPECT_TRUE(*VerifyPassphrase(*encoded, pw));
  EXPECT_FALSE(*VerifyPassphrase(*encoded, base::SecretString(std::string("Correct horse"))));
  EXPECT_FALSE(PassphraseNeedsRehash(*encoded, cheap));
  EXPECT_TRUE(PassphraseNeedsRehash(*encoded, Argon2idParams{2, 8 * 1024}));
  // The same passphrase hashes differently each time: the salt is random.
  EXPECT_NE(*HashPassphrase(pw, cheap), *encoded);
}

TEST(PassphraseHash, DefaultParametersAreRfc9106SecondRecommendation) {
  EXPECT_EQ(kDefaultPassphraseParams.iterations, 3u);
  EXPECT_EQ(kDefaultPassphraseParams.memory_kib, 64u * 1024);
}

TEST(PassphraseHash, TellsAMalformedHashFromAMismatch) {
  const base::SecretString pw(std::string("whatever passphrase"));
  EXPECT_EQ(VerifyPassphrase("$2b$10$abcdefghijklmnopqrstuv", pw).error().code(),
            base::ErrorCode::kInvalidArgument);
  EXPECT_EQ(VerifyPassphrase("$argon2id$v=19$m=zz", pw).error().code(),
            base::ErrorCode::kInvalidArgument);
  EXPECT_EQ(HashPassphrase(pw, Argon2idParams{0, 8 * 1024}).error().code(),
            base::ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace strongroom::crypto
