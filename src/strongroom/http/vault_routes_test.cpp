#include <gtest/gtest.h>

#include "strongroom/crypto/hash.hpp"
#include "strongroom/http/testing/api_fixture.hpp"

namespace strongroom::http {
namespace {

using identity::Role;
using nlohmann::json;
using namespace std::chrono_literals;

class VaultApiTest : public testing::ApiFixture {
 protected:
  void SetUp() override {
    tenant_ = AddTenant("Acme");
    other_ = AddTenant("Beta");
    admin_ = SessionFor(AddUser("acme-admin", Role::kClientAdmin, tenant_.id).user);
    user_ = SessionFor(AddUser("acme-user", Role::kClientUser, tenant_.id).user);
    other_admin_ = SessionFor(AddUser("beta-admin", Role::kClientAdmin, other_.id).user);
    const Reply declared = Call("PUT", Collection("people"), admin_,
                                json{{"classification", "confidential"},
                                     {"retention_days", 365},
                                     {"lookup_fields", {"email"}},
                                     {"restricted_fields", {"ssn"}}});
    ASSERT_EQ(declared.status, 200) << declared.raw;
  }
  std::string Collection(const std::string& name, const identity::Tenant* t = nullptr) {
    return "/api/v1/tenants/" + (t ? t : &tenant_)->id.value() + "/collections/" + name;
  }
  std::string RecordPath(const std::string& id) { return Collection("people") + "/records/" + id; }

  identity::Tenant tenant_, other_;
  std::string admin_, user_, other_admin_;
};

TEST_F(VaultApiTest, DeclaresAndDescribesACollection) {
  const Reply r = Call("GET", Collection("people"), user_);
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["collection"]["classification"], "confidential");
  EXPECT_EQ(r.body["collection"]["retention_days"], 365);
  EXPECT_EQ(r.body["collection"]["lookup_fields"], json::array({"email"}));
  const Reply list = Call("GET", "/api/v1/tenants/" + tenant_.id.value() + "/collections", user_);
  ASSERT_EQ(list.status, 200) << list.raw;
  ASSERT_EQ(list.body["collections"].size(), 1u);
  EXPECT_EQ(list.body["collections"][0]["name"], "people");
}

TEST_F(VaultApiTest, RefusesBadCollectionDeclarationsWithTheAcceptedValues) {
  const Reply bad_class = Call("PUT", Collection("x"), admin_, json{{"classification", "secret"}});
  EXPECT_EQ(bad_class.status, 400);
  EXPECT_NE(bad_class.raw.find("public, internal, confidential, restricted"), std::string::npos);
  const Reply bad_name =
      Call("PUT", Collection("Bad.Name"), admin_, json{{"classification", "internal"}});
  EXPECT_EQ(bad_name.status, 400);
  EXPECT_NE(bad_name.raw.find("collection names are"), std::string::npos);
  const Reply retention = Call("PUT", Collection("x"), admin_,
                               json{{"classification", "internal"}, {"retention_days", 0}});
  EXPECT_EQ(retention.status, 400);
  const Reply unknown =
      Call("PUT", Collection("x"), admin_, json{{"classification", "internal"}, {"lookup", {"a"}}});
  EXPECT_EQ(unknown.status, 400);
  const Reply both = Call(
      "PUT", Collection("x"), admin_,
      json{{"classification", "internal"}, {"lookup_fields", {"a"}}, {"restricted_fields", {"a"}}});
  EXPECT_EQ(both.status, 400);
}

TEST_F(VaultApiTest, PutGetWithETagsAndConditions) {
  const Reply created =
      Call("PUT", RecordPath("p1"), user_, json{{"name", "Ada"}, {"email", "ada@example.com"}},
           {{"If-None-Match", "*"}});
  ASSERT_EQ(created.status, 201) << created.raw;
  EXPECT_EQ(created.http.Header("etag"), "\"1\"");
  EXPECT_EQ(created.body["version"], 1);

  const Reply again =
      Call("PUT", RecordPath("p1"), user_, json{{"name", "x"}}, {{"If-None-Match", "*"}});
  EXPECT_EQ(again.status, 412) << again.raw;
  const Reply stale =
      Call("PUT", RecordPath("p1"), user_, json{{"name", "x"}}, {{"If-Match", "\"7\""}});
  EXPECT_EQ(stale.status, 412);
  EXPECT_NE(stale.raw.find("at version 1"), std::string::npos);
  const Reply weak =
      Call("PUT", RecordPath("p1"), user_, json{{"name", "x"}}, {{"If-Match", "W/\"1\""}});
  EXPECT_EQ(weak.status, 400);
  const Reply updated =
      Call("PUT", RecordPath("p1"), user_, json{{"name", "Ada L."}}, {{"If-Match", "\"1\""}});
  ASSERT_EQ(updated.status, 200) << updated.raw;
  EXPECT_EQ(updated.http.Header("etag"), "\"2\"");

  const Reply read = Call("GET", RecordPath("p1"), user_);
  ASSERT_EQ(read.status, 200) << read.raw;
  EXPECT_EQ(read.body["data"], (json{{"name", "Ada L."}}));
  EXPECT_EQ(read.http.Header("etag"), "\"2\"");
}

TEST_F(VaultApiTest, RefusesRecordsThatAreNotObjectsOrTooDeep) {
  EXPECT_EQ(Call("PUT", RecordPath("p1"), user_, json::array({1, 2})).status, 400);
  json deep = 1;
  for (int i = 0; i < 20; ++i) deep = json{{"a", deep}};
  const Reply r = Call("PUT", RecordPath("p1"), user_, deep);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.raw.find("levels deep"), std::string::npos) << r.raw;
  EXPECT_EQ(Call("PUT", Collection("people") + "/records/a%20b", user_, json{{"a", 1}}).status,
            400);
  EXPECT_EQ(Call("PUT", Collection("nope") + "/records/a", user_, json{{"a", 1}}).status, 404);
}

TEST_F(VaultApiTest, RestrictedFieldsNeedUnmaskWhichIsAudited) {
  ASSERT_EQ(
      Call("PUT", RecordPath("p1"), admin_, json{{"name", "Ada"}, {"ssn", "123-45-6789"}}).status,
      201);
  const Reply masked = Call("GET", RecordPath("p1"), admin_);
  EXPECT_EQ(masked.body["data"]["ssn"], "***");
  EXPECT_EQ(masked.body["masked"], json::array({"ssn"}));
  EXPECT_EQ(Call("GET", RecordPath("p1") + "?unmask=true", user_).status, 403);
  EXPECT_EQ(Call("GET", RecordPath("p1") + "?unmask=maybe", admin_).status, 400);
  const Reply shown = Call("GET", RecordPath("p1") + "?unmask=true", admin_);
  ASSERT_EQ(shown.status, 200) << shown.raw;
  EXPECT_EQ(shown.body["data"]["ssn"], "123-45-6789");
  EXPECT_EQ(audit_.With("records.unmask").size(), 1u);
}

TEST_F(VaultApiTest, ListsAndLooksUpWithCursors) {
  for (const char* id : {"a", "b", "c"}) {
    ASSERT_EQ(Call("PUT", RecordPath(id), user_,
                   json{{"email", std::string(id) == "b" ? "X@example.com" : "y@example.com"}})
                  .status,
              201);
  }
  const Reply first = Call("GET", Collection("people") + "/records?limit=2", user_);
  ASSERT_EQ(first.status, 200) << first.raw;
  ASSERT_EQ(first.body["records"].size(), 2u);
  const std::string cursor = first.body["next_cursor"];
  const Reply second =
      Call("GET", Collection("people") + "/records?limit=2&cursor=" + cursor, user_);
  ASSERT_EQ(second.body["records"].size(), 1u);
  EXPECT_EQ(second.body["records"][0]["id"], "c");
  EXPECT_TRUE(second.body["next_cursor"].is_null());

  const Reply found =
      Call("GET", Collection("people") + "/records?where=email:x%40example.com", user_);
  ASSERT_EQ(found.status, 200) << found.raw;
  ASSERT_EQ(found.body["records"].size(), 1u);
  EXPECT_EQ(found.body["records"][0]["id"], "b");
  EXPECT_EQ(Call("GET", Collection("people") + "/records?where=name:x", user_).status, 400);
  EXPECT_EQ(Call("GET", Collection("people") + "/records?where=nocolon", user_).status, 400);
}

TEST_F(VaultApiTest, DeleteThenTheRecordIsGone) {
  ASSERT_EQ(Call("PUT", RecordPath("p1"), user_, json{{"a", 1}}).status, 201);
  EXPECT_EQ(Call("DELETE", RecordPath("p1"), user_, std::nullopt, {{"If-Match", "\"9\""}}).status,
            412);
  EXPECT_EQ(Call("DELETE", RecordPath("p1"), user_).status, 204);
  EXPECT_EQ(Call("GET", RecordPath("p1"), user_).status, 404);
  EXPECT_EQ(Call("DELETE", RecordPath("p1"), user_).status, 404);
}

TEST_F(VaultApiTest, AnotherTenantsUsersCannotReachTheRecordsByAnyRoute) {
  ASSERT_EQ(Call("PUT", RecordPath("p1"), user_, json{{"email", "a@example.com"}}).status, 201);
  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
           {"GET", RecordPath("p1")},
           {"GET", RecordPath("p1") + "?unmask=true"},
           {"DELETE", RecordPath("p1")},
           {"GET", Collection("people") + "/records"},
           {"GET", Collection("people") + "/records?where=email:a%40example.com"},
           {"GET", Collection("people")},
           {"GET", "/api/v1/tenants/" + tenant_.id.value() + "/collections"}}) {
    EXPECT_EQ(Call(method, path, other_admin_).status, 403) << method << " " << path;
  }
  EXPECT_EQ(Call("PUT", RecordPath("p2"), other_admin_, json{{"a", 1}}).status, 403);
  EXPECT_EQ(
      Call("PUT", Collection("people"), other_admin_, json{{"classification", "public"}}).status,
      403);
  const auto denied = audit_.With("access.denied");
  ASSERT_FALSE(denied.empty());
  EXPECT_EQ(denied.back().tenant_id, tenant_.id.value());
}

TEST_F(VaultApiTest, AClientAdminRotatesItsKeyAndWatchesReencryption) {
  ASSERT_EQ(Call("PUT", RecordPath("p1"), user_, json{{"a", 1}}).status, 201);
  const std::string keys = "/api/v1/tenants/" + tenant_.id.value() + "/keys";
  const Reply before = Call("GET", keys, admin_);
  ASSERT_EQ(before.status, 200) << before.raw;
  EXPECT_EQ(before.body["current_version"], 1);
  const Reply rotated = Call("POST", keys + "/rotate", admin_);
  ASSERT_EQ(rotated.status, 200) << rotated.raw;
  EXPECT_EQ(rotated.body["rotated_to"], 2);
  EXPECT_EQ(rotated.body["reencryption_done"], false);
  EXPECT_EQ(rotated.body["versions"][0]["records"], 1);
  ASSERT_TRUE(rotation_->RunOnce(audit::Actor{"key-rotation", "system", "local", ""})->done);
  const Reply after = Call("GET", keys, admin_);
  EXPECT_EQ(after.body["reencryption_done"], true);
  EXPECT_EQ(after.body["versions"].size(), 1u);
  EXPECT_EQ(Call("GET", RecordPath("p1"), user_).status, 200);
  EXPECT_EQ(Call("POST", keys + "/rotate", user_).status, 403);
}

TEST_F(VaultApiTest, TheProviderAdminShredsASuspendedTenantAndGetsASignedReceipt) {
  ASSERT_EQ(Call("PUT", RecordPath("p1"), user_, json{{"a", 1}}).status, 201);
  const std::string admin = SessionFor(AddUser("ops-admin", Role::kAdmin).user);
  const std::string shred = "/api/v1/tenants/" + tenant_.id.value() + "/shred";
  EXPECT_EQ(Call("POST", shred, admin, json{{"confirm", "Acme"}}).status, 409);  // Active.
  EXPECT_EQ(Call("POST", shred, admin_, json{{"confirm", "Acme"}}).status, 403);
  ASSERT_EQ(Call("POST", "/api/v1/tenants/" + tenant_.id.value() + "/suspend", admin).status, 200);
  EXPECT_EQ(Call("POST", shred, admin, json{{"confirm", "ACME"}}).status, 400);
  // Suspending ended the client's sessions.
  EXPECT_EQ(Call("POST", shred, admin_, json{{"confirm", "Acme"}}).status, 401);
  const Reply r = Call("POST", shred, admin, json{{"confirm", "Acme"}});
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["receipt"]["records_destroyed"], 1);
  vault::ShredReceipt receipt{r.body["receipt_text"], r.body["signature"], r.body["key_id"],
                              r.body["public_key"]};
  EXPECT_TRUE(vault::VerifyShredReceipt(receipt));
  EXPECT_EQ(Call("POST", shred, admin, json{{"confirm", "Acme"}}).status, 409);
  EXPECT_EQ(Call("POST", "/api/v1/tenants/" + tenant_.id.value() + "/resume", admin).status, 409);
  // The audit log holds the receipt's signature.
  EXPECT_EQ(audit_.With("tenants.shred").at(0).details.at("signature"), r.body["signature"]);
}

TEST_F(VaultApiTest, FilesStreamUpAndDownEncryptedWithTheirHash) {
  std::string content(3 * 1024 * 1024 + 123, '\0');
  for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>(i * 31 % 256);
  const std::string path = "/api/v1/tenants/" + tenant_.id.value() + "/files/report.pdf";
  auto client = crypto::testing::TlsClient::Connect(port_);
  ASSERT_TRUE(client.ok());
  ASSERT_TRUE(
      (*client)
          ->Send(crypto::testing::BuildRequest(
              "PUT", path,
              {{"Authorization", "Bearer " + user_}, {"Content-Type", "application/pdf"}}, content))
          .ok());
  auto put = (*client)->ReadReply();
  ASSERT_TRUE(put.ok());
  ASSERT_EQ(put->status, 201) << put->body;
  const auto meta = json::parse(put->body)["file"];
  EXPECT_EQ(meta["size"], content.size());
  EXPECT_EQ(meta["content_type"], "application/pdf");
  const std::string sha = base::HexEncode(crypto::Sha256(base::AsBytes(content)));
  EXPECT_EQ(meta["sha256"], sha);

  const Reply got = Call("GET", path, user_);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.raw.size(), content.size());
  EXPECT_TRUE(got.raw == content);
  EXPECT_EQ(got.http.Header("x-content-sha256"), sha);
  EXPECT_EQ(got.http.Header("content-type"), "application/octet-stream");
  EXPECT_EQ(got.http.Header("content-disposition"), "attachment; filename=\"report.pdf\"");
  EXPECT_EQ(got.http.Header("etag"), "\"1\"");
  EXPECT_TRUE(got.http.Header("repr-digest")->starts_with("sha-256=:"));

  const Reply list = Call("GET", "/api/v1/tenants/" + tenant_.id.value() + "/files", user_);
  ASSERT_EQ(list.status, 200) << list.raw;
  EXPECT_EQ(list.body["files"][0]["id"], "report.pdf");
  EXPECT_EQ(Call("GET", path, other_admin_).status, 403);
  EXPECT_EQ(Call("DELETE", path, user_, std::nullopt, {{"If-Match", "\"2\""}}).status, 412);
  EXPECT_EQ(Call("DELETE", path, user_).status, 204);
  EXPECT_EQ(Call("GET", path, user_).status, 404);
}

TEST_F(VaultApiTest, TheClientAdminDownloadsTheTenantAsOneArchive) {
  ASSERT_EQ(Call("PUT", RecordPath("p1"), user_, json{{"name", "Ada"}, {"ssn", "1"}}).status, 201);
  const std::string path = "/api/v1/tenants/" + tenant_.id.value() + "/export";
  EXPECT_EQ(Call("GET", path, user_).status, 403);
  EXPECT_EQ(Call("GET", path, other_admin_).status, 403);
  const Reply r = Call("GET", path, admin_);
  ASSERT_EQ(r.status, 200) << r.raw.substr(0, 200);
  EXPECT_EQ(r.http.Header("content-type"), "application/x-tar");
  EXPECT_EQ(r.http.Header("transfer-encoding"), "chunked");
  EXPECT_EQ(r.raw.size() % 512, 0u);
  EXPECT_NE(r.raw.find("records/people/p1.json"), std::string::npos);
  EXPECT_NE(r.raw.find("\"ssn\": \"1\""), std::string::npos);  // Unmasked.
  EXPECT_NE(r.raw.find("manifest.sig"), std::string::npos);
  EXPECT_EQ(r.raw.substr(r.raw.size() - 1024), std::string(1024, '\0'));
  EXPECT_EQ(audit_.With("tenants.export").size(), 1u);
}

}  // namespace
}  // namespace strongroom::http
