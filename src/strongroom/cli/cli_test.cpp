#include "strongroom/cli/cli.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "strongroom/base/testing/temp_dir.hpp"

namespace strongroom::cli {
namespace {

struct Captured {
  int calls = 0;
  ServeOptions options;
  std::string which;
};

int RunArgs(std::vector<std::string> args, Captured& captured, std::string* out_text = nullptr,
            std::string* err_text = nullptr) {
  std::vector<const char*> argv{"strongroom"};
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  const ServerCommands commands{.serve =
                                    [&](const ServeOptions& o) {
                                      ++captured.calls;
                                      captured.options = o;
                                      captured.which = "serve";
                                      return 0;
                                    },
                                .demo =
                                    [&](const ServeOptions& o) {
                                      ++captured.calls;
                                      captured.options = o;
                                      captured.which = "demo";
                                      return 0;
                                    }};
  const int code = Run(static_cast<int>(argv.size()), argv.data(), commands, out, err);
  if (out_text) *out_text = out.str();
  if (err_text) *err_text = err.str();
  return code;
}

TEST(Cli, UsageErrorsExitWithTwo) {
  Captured c;
  std::string err;
  EXPECT_EQ(RunArgs({}, c, nullptr, &err), kExitUsage);
  EXPECT_EQ(RunArgs({"frobnicate"}, c), kExitUsage);
  EXPECT_EQ(RunArgs({"serve", "--no-such-flag"}, c), kExitUsage);
  EXPECT_EQ(RunArgs({"serve", "serve"}, c), kExitUsage);
  EXPECT_EQ(c.calls, 0);
}

TEST(Cli, HelpAndVersionExitWithZero) {
  Captured c;
  std::string out;
  EXPECT_EQ(RunArgs({"--help"}, c, &out), kExitOk);
  EXPECT_NE(out.find("init"), std::string::npos);
  EXPECT_NE(out.find("serve"), std::string::npos);
  EXPECT_EQ(RunArgs({"--version"}, c, &out), kExitOk);
}

TEST(Cli, GlobalOptionsWorkBeforeOrAfterTheSubcommand) {
  Captured c;
  EXPECT_EQ(RunArgs({"serve", "--data-dir", "/x", "--json", "--listen", "127.0.0.1:0"}, c), 0);
  EXPECT_EQ(c.which, "serve");
  EXPECT_EQ(c.options.data_dir, "/x");
  EXPECT_TRUE(c.options.json);
  EXPECT_EQ(c.options.listen, "127.0.0.1:0");
  EXPECT_EQ(RunArgs({"--data-dir", "/y", "demo"}, c), 0);
  EXPECT_EQ(c.which, "demo");
  EXPECT_EQ(c.options.data_dir, "/y");
  EXPECT_FALSE(c.options.json);
  EXPECT_EQ(c.options.listen, kDefaultListen);
  EXPECT_EQ(RunArgs({"serve"}, c), 0);
  EXPECT_EQ(c.options.data_dir, kDefaultDataDir);
}

TEST(Cli, InitJsonReportsWhatItCreated) {
  const base::testing::ScopedTempDir temp;
  const auto dir = temp / "data";
  Captured c;
  std::string out, err;
  ASSERT_EQ(
      RunArgs({"init", "--data-dir", dir.string(), "--json", "--admin", "boss"}, c, &out, &err),
      kExitOk)
      << err;
  const auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["admin"]["username"], "boss");
  EXPECT_EQ(j["admin"]["password"].get<std::string>().size(), 29u);
  EXPECT_EQ(j["admin"]["totp_secret"].get<std::string>().size(), 32u);
  EXPECT_TRUE(j["admin"]["otpauth_uri"].get<std::string>().starts_with("otpauth://totp/"));
  EXPECT_EQ(j["admin"]["recovery_codes"].size(), 10u);
  EXPECT_EQ(j["root_key_file"], (dir / "root.key").string());
  EXPECT_EQ(j["tls"]["self_signed"], true);
  EXPECT_EQ(j["tls"]["sha256_fingerprint"].get<std::string>().size(), 64u);
  EXPECT_GE(j["store"]["schema_version"].get<int>(), 1);
  // A second init is a usage/I-O error (2) with the reason on stderr.
  EXPECT_EQ(RunArgs({"init", "--data-dir", dir.string()}, c, &out, &err), kExitUsage);
  EXPECT_NE(err.find("already exists"), std::string::npos);
}

}  // namespace
}  // namespace strongroom::cli
