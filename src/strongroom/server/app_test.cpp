#include "strongroom/server/app.hpp"

#include <gtest/gtest.h>

namespace strongroom::server {
namespace {

TEST(ListenAddress, ParsesIpv4Ipv6AndPortZero) {
  auto a = ParseListenAddress("127.0.0.1:8443");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 8443);
  a = ParseListenAddress("[::1]:0");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "::1");
  EXPECT_EQ(a->port, 0);
}

TEST(ListenAddress, RejectsWhatIsNotHostColonPort) {
  for (const char* bad : {"", "8443", "127.0.0.1", "127.0.0.1:", ":8443", "127.0.0.1:65536",
                          "127.0.0.1:84x3", "::1:8443", "[::1]8443", "127.0.0.1:-1"}) {
    const auto r = ParseListenAddress(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().message().find("accepted forms"), std::string::npos);
  }
}

}  // namespace
}  // namespace strongroom::server
