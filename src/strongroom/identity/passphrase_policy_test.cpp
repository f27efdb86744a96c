#include "strongroom/identity/passphrase_policy.hpp"

#include <gtest/gtest.h>

namespace strongroom::identity {
namespace {

base::SecretString S(std::string s) { return base::SecretString(std::move(s)); }

TEST(PassphrasePolicy, EachRuleNamesItselfAndNeverThePassphrase) {
  struct Case {
    std::string passphrase;
    std::string username;
    std::string expected;
  };
  const Case cases[] = {
      {"short one", "alice", "at least 12 characters"},
      {std::string(1025, 'x'), "alice", "at most 1024"},
      {"my name is ALICE and more words", "alice", "must not contain the username"},
      {"password1234", "alice", "too easy to guess"},
      {"qwertyuiop123", "alice", "too easy to guess"},
      {"aaaaaaaaaaaaaaaa", "alice", "too easy to guess"},
      {"strongroom2026!", "alice", "too easy to guess"},
      {std::string("twelve chars\0 then", 18), "alice", "NUL"},
  };
  for (const Case& c : cases) {
    const base::Status s = CheckPassphrase(S(c.passphrase), c.username);
    ASSERT_FALSE(s.ok()) << c.passphrase;
    EXPECT_EQ(s.code(), base::ErrorCode::kInvalidArgument);
    EXPECT_NE(s.message().find(c.expected), std::string::npos)
        << c.passphrase << ": " << s.message();
    if (c.passphrase.size() < 100) {
      EXPECT_EQ(s.message().find(c.passphrase), std::string::npos);
    }
  }
}

TEST(PassphrasePolicy, AcceptsStrongPassphrases) {
  for (const char* good : {"violet tractor umbrella 1987 quietly", "fj9r-9b26-wdxt-66ga-d5x7-g9qq",
                           "Correct-Horse-Battery-Staple-42!", "éléphant rouge sous la pluie"}) {
    EXPECT_TRUE(CheckPassphrase(S(good), "alice").ok()) << good;
    EXPECT_GE(PassphraseScore(S(good), "alice"), kMinPassphraseScore) << good;
  }
}

TEST(PassphrasePolicy, ScoreFollowsZxcvbnThresholds) {
  EXPECT_LE(PassphraseScore(S("password"), ""), 1);
  EXPECT_EQ(PassphraseScore(S("fj9r-9b26-wdxt-66ga-d5x7-g9qq"), ""), 4);
  // The username counts as a dictionary word: appended digits do not rescue it.
  EXPECT_LT(PassphraseScore(S("zebediah1977"), "zebediah"),
            PassphraseScore(S("zebediah1977"), "someone"));
}

}  // namespace
}  // namespace strongroom::identity
