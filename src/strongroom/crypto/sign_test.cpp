#include "strongroom/crypto/sign.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "strongroom/crypto/testing/vectors.hpp"

namespace strongroom::crypto {
namespace {

base::Bytes Hex(const std::string& s) { return *base::HexDecode(s); }

template <std::size_t N>
std::array<std::uint8_t, N> Arr(const base::Bytes& b) {
  std::array<std::uint8_t, N> out{};
  std::copy_n(b.begin(), N, out.begin());
  return out;
}

// The 1024 vectors of the Ed25519 reference (sign.input, from the SUPERCOP/ed25519 release; its
// first entries are RFC 8032 §7.1 TEST 1-3). Line format: seed||pk : pk : msg : sig||msg :
TEST(Ed25519, MatchesEveryReferenceVector) {
  std::ifstream in(testing::VectorsDir() / "asymmetric/Ed25519/sign.input");
  ASSERT_TRUE(in.good());
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t colon; (colon = line.find(':', start)) != std::string::npos;
         start = colon + 1) {
      parts.push_back(line.substr(start, colon - start));
    }
    ASSERT_GE(parts.size(), 4u);
    const base::Bytes sk = Hex(parts[0]);
    const Ed25519Seed seed(Arr<32>(sk));
    const auto pair = Ed25519KeyPair::FromSeed(seed);
    EXPECT_EQ(base::HexEncode(pair.public_key()), parts[1]) << "vector " << n;
    const base::Bytes msg = Hex(parts[2]);
    const Ed25519Signature sig = pair.Sign(msg);
    EXPECT_EQ(base::HexEncode(sig), parts[3].substr(0, 128)) << "vector " << n;
    EXPECT_TRUE(Ed25519Verify(pair.public_key(), msg, sig));
    ++n;
  }
  EXPECT_EQ(n, 1024);
}

TEST(Ed25519, RfcTest1IsTheFirstVector) {
  // RFC 8032 §7.1 TEST 1, written out so the suite does not depend on file order for it.
  const Ed25519Seed seed(
      Arr<32>(Hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")));
  const auto pair = Ed25519KeyPair::FromSeed(seed);
  EXPECT_EQ(base::HexEncode(pair.public_key()),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  EXPECT_EQ(base::HexEncode(pair.Sign({})),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39"
            "701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  EXPECT_EQ(pair.seed().Reveal(), seed.Reveal());
}

TEST(Ed25519, RejectsAlteredMessageSignatureOrKey) {
  const auto pair = Ed25519KeyPair::Generate();
  const base::Bytes msg = base::ToBytes("checkpoint size=10 root=abc");
  const Ed25519Signature sig = pair.Sign(msg);
  ASSERT_TRUE(Ed25519Verify(pair.public_key(), msg, sig));
  for (std::size_t i = 0; i < sig.size() * 8; i += 7) {
    Ed25519Signature bad = sig;
    bad[i / 8] ^= static_cast<std::uint8_t>(1u << (i % 8));
    EXPECT_FALSE(Ed25519Verify(pair.public_key(), msg, bad)) << i;
  }
  base::Bytes other = msg;
  other.back() ^= 1;
  EXPECT_FALSE(Ed25519Verify(pair.public_key(), other, sig));
  EXPECT_FALSE(Ed25519Verify(Ed25519KeyPair::Generate().public_key(), msg, sig));
}

}  // namespace
}  // namespace strongroom::crypto
