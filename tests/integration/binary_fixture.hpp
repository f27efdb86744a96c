#pragma once

// The fixture the integration tests share: a scratch directory, the real binary started with
// `serve` on a free port, and HTTPS requests to it.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "process.hpp"
#include "strongroom/base/bytes.hpp"
#include "strongroom/base/clock.hpp"
#include "strongroom/base/testing/temp_dir.hpp"
#include "strongroom/crypto/testing/tls_client.hpp"
#include "strongroom/crypto/totp.hpp"

namespace strongroom::testing {

using namespace std::chrono_literals;

class StrongroomBinaryTest : public ::testing::Test {
 protected:
  nlohmann::json Init(std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"init", "--data-dir", data_.string(), "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    const Completed c = RunStrongroom(args, scratch_);
    EXPECT_EQ(c.exit_code, 0) << c.err;
    return nlohmann::json::parse(c.out, nullptr, false);
  }

  // Starts `serve` on a free port and returns the port (0 on failure).
  std::uint16_t Serve(std::unique_ptr<Process>& process, const std::string& command = "serve",
                      const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{command,    "--data-dir",  data_.string(),
                                  "--listen", "127.0.0.1:0", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    process = std::make_unique<Process>(args, scratch_);
    if (!process->WaitForStdout("\"url\"", 20s)) {
      ADD_FAILURE() << "server did not start: " << process->Stderr();
      return 0;
    }
    const auto j = nlohmann::json::parse(process->Stdout().substr(0, process->Stdout().find('\n')));
    const std::string url = j["url"];
    return static_cast<std::uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
  }

  crypto::testing::HttpReply Post(std::uint16_t port, const std::string& path,
                                  const nlohmann::json& body,
                                  std::vector<std::pair<std::string, std::string>> headers = {}) {
    auto client = crypto::testing::TlsClient::Connect(port);
    EXPECT_TRUE(client.ok());
    if (!client.ok()) return {};
    headers.emplace_back("Content-Type", "application/json");
    EXPECT_TRUE(
        (*client)->Send(crypto::testing::BuildRequest("POST", path, headers, body.dump())).ok());
    auto reply = (*client)->ReadReply();
    return reply.ok() ? *reply : crypto::testing::HttpReply{};
  }

  // Signs in as the admin init created and returns a new API token with metrics.read.
  std::string ScrapeToken(std::uint16_t port, const nlohmann::json& created) {
    const auto secret = *base::Base32Decode(created["admin"]["totp_secret"].get<std::string>());
    const auto login = Post(port, "/api/v1/auth/login",
                            {{"username", "admin"},
                             {"password", created["admin"]["password"]},
                             {"totp", crypto::Totp(secret, std::chrono::system_clock::now())}});
    EXPECT_EQ(login.status, 200) << login.body;
    const auto session = nlohmann::json::parse(login.body, nullptr, false);
    if (!session.is_object()) return "";
    const std::string expires =
        base::FormatRfc3339(std::chrono::system_clock::now() + std::chrono::hours(1));
    const auto made =
        Post(port, "/api/v1/me/tokens",
             {{"name", "scrape"}, {"permissions", {"metrics.read"}}, {"expires_at", expires}},
             {{"Authorization", "Bearer " + session["token"].get<std::string>()}});
    EXPECT_EQ(made.status, 201) << made.body;
    const auto token = nlohmann::json::parse(made.body, nullptr, false);
    return token.is_object() ? token["token"].get<std::string>() : "";
  }

  crypto::testing::HttpReply Get(std::uint16_t port, const std::string& path,
                                 std::vector<std::pair<std::string, std::string>> headers = {}) {
    auto client = crypto::testing::TlsClient::Connect(port);
    EXPECT_TRUE(client.ok()) << client.status().ToString();
    if (!client.ok()) return {};
    EXPECT_TRUE((*client)->Send(crypto::testing::BuildRequest("GET", path, headers)).ok());
    auto reply = (*client)->ReadReply();
    EXPECT_TRUE(reply.ok());
    return reply.ok() ? *reply : crypto::testing::HttpReply{};
  }

  // One request; an error (the server died, say) instead of a reply is returned, not a failure.
  base::Result<crypto::testing::HttpReply> TryRequest(
      std::uint16_t port, const std::string& method, const std::string& path,
      const std::string& body, std::vector<std::pair<std::string, std::string>> headers) {
    auto client = crypto::testing::TlsClient::Connect(port);
    if (!client.ok()) return client.error();
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    if (base::Status s =
            (*client)->Send(crypto::testing::BuildRequest(method, path, headers, body));
        !s.ok()) {
      return s;
    }
    return (*client)->ReadReply();
  }

  // Creates a tenant and its client admin with the CLI and signs the admin in; returns the
  // tenant id and a bearer header value.
  std::pair<std::string, std::string> ClientAdmin(std::uint16_t port, const std::string& tenant) {
    const Completed t =
        RunStrongroom({"tenant", "add", tenant, "--data-dir", data_.string(), "--json"}, scratch_);
    EXPECT_EQ(t.exit_code, 0) << t.err;
    const Completed u =
        RunStrongroom({"user", "add", "--username", tenant + "-admin", "--role", "client_admin",
                       "--tenant", tenant, "--data-dir", data_.string(), "--json"},
                      scratch_);
    EXPECT_EQ(u.exit_code, 0) << u.err;
    const auto user = nlohmann::json::parse(u.out, nullptr, false);
    if (!user.is_object()) return {};
    const auto login =
        Post(port, "/api/v1/auth/login",
             {{"username", tenant + "-admin"},
              {"password", user["password"]},
              {"totp", crypto::Totp(*base::Base32Decode(user["totp_secret"].get<std::string>()),
                                    std::chrono::system_clock::now())}});
    EXPECT_EQ(login.status, 200) << login.body;
    const auto session = nlohmann::json::parse(login.body, nullptr, false);
    if (!session.is_object()) return {};
    return {nlohmann::json::parse(t.out)["tenant"]["id"],
            "Bearer " + session["token"].get<std::string>()};
  }

  base::testing::ScopedTempDir temp_;
  const std::filesystem::path& scratch_ = temp_.path();
  const std::filesystem::path data_ = scratch_ / "data";
};

}  // namespace strongroom::testing
