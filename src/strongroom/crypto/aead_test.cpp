#include "strongroom/crypto/aead.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <set>
#include <unordered_set>

#include "strongroom/crypto/random.hpp"

namespace strongroom::crypto {
namespace {

Aes256Key NewKey() {
  Aes256Key k;
  FillRandom(k.mutable_value());
  return k;
}

constexpr KeyRef kRef{42, 3};

TEST(Aead, RoundTripsAndCarriesAVersionedHeader) {
  const Aes256Key key = NewKey();
  const base::Bytes ct = AeadSeal(key, kRef, base::AsBytes("tenant=a"), base::AsBytes("hello"));
  ASSERT_EQ(ct.size(), kCiphertextOverhead + 5);
  const auto header = ParseCiphertextHeader(ct);
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header->format, kCiphertextFormatV1);
  EXPECT_EQ(header->key, kRef);
  EXPECT_EQ(ct[0], 0x01);
  EXPECT_EQ(ct[8], 42);  // Key id, big-endian, in bytes 1..8.
  EXPECT_EQ(ct[12], 3);  // Key version, big-endian, in bytes 9..12.
  const auto pt = AeadOpen(key, kRef, base::AsBytes("tenant=a"), ct);
  ASSERT_TRUE(pt.ok());
  EXPECT_EQ(base::AsChars(*pt), "hello");
}

TEST(Aead, RejectsEveryFlippedBitOfHeaderCiphertextAndTag) {
  const Aes256Key key = NewKey();
  const base::Bytes aad = base::ToBytes("tenant=a|collection=c|record=r|version=1");
  const base::Bytes ct = AeadSeal(key, kRef, aad, base::AsBytes("secret record body"));
  for (std::size_t i = 0; i < ct.size() * 8; ++i) {
    base::Bytes bad = ct;
    bad[i / 8] ^= static_cast<std::uint8_t>(1u << (i % 8));
    const auto r = AeadOpen(key, kRef, aad, bad);
    EXPECT_FALSE(r.ok()) << "bit " << i << " flipped and still opened";
  }
}

TEST(Aead, RejectsEveryFlippedBitOfTheAssociatedData) {
  const Aes256Key key = NewKey();
  const base::Bytes aad = base::ToBytes("tenant=a|record=r");
  const base::Bytes ct = AeadSeal(key, kRef, aad, base::AsBytes("x"));
  for (std::size_t i = 0; i < aad.size() * 8; ++i) {
    base::Bytes bad = aad;
    bad[i / 8] ^= static_cast<std::uint8_t>(1u << (i % 8));
    const auto r = AeadOpen(key, kRef, bad, ct);
    ASSERT_FALSE(r.ok()) << "AAD bit " << i;
    EXPECT_EQ(r.error().code(), base::ErrorCode::kDataLoss);
  }
  EXPECT_FALSE(AeadOpen(key, kRef, base::AsBytes("tenant=a|record=r|"), ct).ok());
  EXPECT_FALSE(AeadOpen(key, kRef, {}, ct).ok());
}

TEST(Aead, DoesNotOpenUnderAnotherKeyOrTruncated) {
  const Aes256Key key = NewKey();
  const base::Bytes ct = AeadSeal(key, kRef, {}, base::AsBytes("payload"));
  EXPECT_EQ(AeadOpen(NewKey(), kRef, {}, ct).error().code(), base::ErrorCode::kDataLoss);
  EXPECT_EQ(AeadOpen(key, KeyRef{42, 4}, {}, ct).error().code(), base::ErrorCode::kInvalidArgument);
  for (std::size_t len = 0; len < ct.size(); ++len) {
    EXPECT_FALSE(AeadOpen(key, kRef, {}, base::ByteView(ct).first(len)).ok()) << len;
  }
  base::Bytes unknown_format = ct;
  unknown_format[0] = 2;
  EXPECT_EQ(AeadOpen(key, kRef, {}, unknown_format).error().code(),
            base::ErrorCode::kInvalidArgument);
}

using Nonce = std::array<std::uint8_t, kGcmNonceSize>;
struct NonceHash {
  std::size_t operator()(const Nonce& n) const {
    std::size_t h;
    std::memcpy(&h, n.data(), sizeof h);
    return h;
  }
};

Nonce NonceOf(const base::Bytes& ct) { return ParseCiphertextHeader(ct)->nonce; }

TEST(Aead, NoNonceRepeatsOverAMillionEncryptions) {
  const Aes256Key key = NewKey();
  std::unordered_set<Nonce, NonceHash> seen;
  seen.reserve(1'000'000);
  const std::uint8_t byte = 0;
  for (int i = 0; i < 1'000'000; ++i) {
    const bool fresh = seen.insert(NonceOf(AeadSeal(key, kRef, {}, {&byte, 1}))).second;
    ASSERT_TRUE(fresh) << "nonce repeated at encryption " << i;
  }
}

// Forked processes: each child seals with the same key and reports its nonces. A nonce source
// seeded from anything processes share (a fixed seed, inherited state, the time) fails.
TEST(Aead, NoNonceRepeatsAcrossForkedProcesses) {
  const Aes256Key key = NewKey();
  constexpr int kProcesses = 8;
  constexpr int kPerProcess = 20'000;
  std::unordered_set<Nonce, NonceHash> seen;
  for (int p = 0; p < kProcesses; ++p) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      for (int i = 0; i < kPerProcess; ++i) {
        const Nonce n = NonceOf(AeadSeal(key, kRef, {}, {}));
        if (::write(fds[1], n.data(), n.size()) != static_cast<ssize_t>(n.size())) ::_exit(1);
      }
      ::_exit(0);
    }
    ::close(fds[1]);
    Nonce n;
    std::size_t got = 0;
    int count = 0;
    for (;;) {
      const ssize_t r = ::read(fds[0], n.data() + got, n.size() - got);
      if (r <= 0) break;
      got += static_cast<std::size_t>(r);
      if (got == n.size()) {
        EXPECT_TRUE(seen.insert(n).second) << "nonce repeated across processes";
        got = 0;
        ++count;
      }
    }
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    EXPECT_EQ(count, kPerProcess);
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kProcesses * kPerProcess));
}

// Real restarts: separate executions of a program that seals and prints its nonces.
TEST(Aead, NoNonceRepeatsAcrossSeparateExecutions) {
  constexpr int kRuns = 5;
  constexpr int kPerRun = 20'000;
  std::set<std::string> seen;
  for (int run = 0; run < kRuns; ++run) {
    const std::string command = std::string(STRONGROOM_NONCE_DUMP) + " " + std::to_string(kPerRun);
    FILE* pipe = ::popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    char line[64];
    int count = 0;
    while (std::fgets(line, sizeof line, pipe) != nullptr) {
      EXPECT_TRUE(seen.insert(line).second) << "nonce repeated across executions: " << line;
      ++count;
    }
    EXPECT_EQ(::pclose(pipe), 0);
    EXPECT_EQ(count, kPerRun);
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kRuns * kPerRun));
}

// The nonce source buffers randomness per thread; a forked child must not hand out what the parent
// still holds. The parent fills its buffer, forks, and both draw: no nonce may appear in both.
TEST(Aead, AForkedChildNeverRepeatsItsParentsNonces) {
  const Aes256Key key = NewKey();
  (void)AeadSeal(key, kRef, {}, {});  // Fills this thread's buffer.
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  constexpr int kDraws = 200;
  if (pid == 0) {
    ::close(fds[0]);
    for (int i = 0; i < kDraws; ++i) {
      const Nonce n = NonceOf(AeadSeal(key, kRef, {}, {}));
      if (::write(fds[1], n.data(), n.size()) != static_cast<ssize_t>(n.size())) ::_exit(1);
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  std::unordered_set<Nonce, NonceHash> parent;
  for (int i = 0; i < kDraws; ++i) parent.insert(NonceOf(AeadSeal(key, kRef, {}, {})));
  Nonce n;
  int child_draws = 0;
  while (::read(fds[0], n.data(), n.size()) == static_cast<ssize_t>(n.size())) {
    EXPECT_FALSE(parent.contains(n)) << "the child reused a nonce its parent also used";
    ++child_draws;
  }
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_EQ(child_draws, kDraws);
}

}  // namespace
}  // namespace strongroom::crypto
