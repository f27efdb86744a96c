#include "strongroom/crypto/random.hpp"

#include <gtest/gtest.h>

#include <set>

namespace strongroom::crypto {
namespace {

TEST(Random, DrawsDifferentBytesEachTime) {
  std::set<base::Bytes> seen;
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(seen.insert(RandomBytes(16)).second);
}

TEST(Random, UniformStaysInRangeAndCoversIt) {
  std::array<int, 7> counts{};
  for (int i = 0; i < 7000; ++i) {
    const auto v = RandomUniform(7);
    ASSERT_LT(v, 7u);
    ++counts[v];
  }
  // Each bucket expects 1000; 700 is more than 9 standard deviations away.
  for (int c : counts) EXPECT_GT(c, 700);
}

}  // namespace
}  // namespace strongroom::crypto
