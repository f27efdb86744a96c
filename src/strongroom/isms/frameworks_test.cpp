#include "strongroom/isms/frameworks.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "strongroom/identity/testing/identity_fixture.hpp"
#include "strongroom/isms/oscal.hpp"

namespace strongroom::isms {
namespace {

using nlohmann::json;

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class FrameworksTest : public identity::testing::IdentityFixture {
 protected:
  audit::Actor System() const { return {"strongroom", "system", "local", ""}; }

  Frameworks frameworks_{*store_, audit_, clock_};
};

TEST_F(FrameworksTest, LoadsEveryShippedCatalogAndCrosswalkOnceAndIdempotently) {
  auto report = frameworks_.LoadShipped(System());
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->loaded,
            (std::vector<std::string>{
                "nist-csf-1.1", "nist-csf-2.0", "iso27001-2013", "iso27001-2022", "aicpa-tsc-2017",
                "nist-csf-1.1_to_iso27001-2013", "nist-csf-1.1_to_nist-csf-2.0",
                "nist-csf-1.1_to_nist-sp800-53r4", "iso27001-2013_to_iso27001-2022"}));
  EXPECT_TRUE(report->unchanged.empty());
  EXPECT_EQ(audit_.With("frameworks.load").size(), 9u);

  auto listed = frameworks_.List();
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 5u);
  for (const StoredFramework& f : *listed) {
    EXPECT_EQ(f.origin, "shipped");
    EXPECT_EQ(f.revision, 1);
    EXPECT_EQ(f.content_sha256.size(), 64u);
  }
  auto csf = frameworks_.Get("nist-csf-2.0");
  ASSERT_TRUE(csf.ok());
  EXPECT_EQ(csf->info.counts.at("subcategory"), 106u);
  EXPECT_EQ(csf->items, 6u + 22 + 106 + 12 + 79);
  EXPECT_EQ(csf->info.publisher, "National Institute of Standards and Technology (NIST)");

  auto crosswalks = frameworks_.Crosswalks();
  ASSERT_TRUE(crosswalks.ok());
  ASSERT_EQ(crosswalks->size(), 4u);
  auto pairs = frameworks_.CrosswalkPairs("iso27001-2013_to_iso27001-2022");
  ASSERT_TRUE(pairs.ok());
  EXPECT_EQ(pairs->size(), 115u);

  // The next start finds nothing to do and records nothing.
  report = frameworks_.LoadShipped(System());
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->loaded.empty());
  EXPECT_EQ(report->unchanged.size(), 9u);
  EXPECT_EQ(audit_.With("frameworks.load").size(), 9u);
}

TEST_F(FrameworksTest, TwoProcessesLoadingAtOnceLoadEachFileOnce) {
  // The server and a CLI command open the same data directory right after an upgrade.
  Frameworks other{*store_, audit_, clock_};
  std::thread a([this] { EXPECT_TRUE(frameworks_.LoadShipped(System()).ok()); });
  std::thread b([&other, this] { EXPECT_TRUE(other.LoadShipped(System()).ok()); });
  a.join();
  b.join();
  EXPECT_EQ(audit_.With("frameworks.load").size(), 9u);
  const auto listed = frameworks_.List();
  ASSERT_TRUE(listed.ok());
  for (const StoredFramework& f : *listed) EXPECT_EQ(f.revision, 1) << f.info.id;
}

TEST_F(FrameworksTest, AChangedShippedFileReplacesTheStoredCopyWithANewRevision) {
  ASSERT_TRUE(frameworks_.LoadShipped(System()).ok());
  // An upgrade ships TSC with one criterion's label corrected.
  json tsc =
      json::parse(ReadFile(std::filesystem::path(STRONGROOM_CATALOGS_DIR) / "aicpa-tsc-2017.json"));
  for (json& item : tsc["items"]) {
    if (item["id"] == "CC6.1") item["title"] = "Logical access security (corrected)";
  }
  const std::string changed = tsc.dump();
  const EmbeddedFile files[] = {{"aicpa-tsc-2017.json", changed}};
  auto report = frameworks_.LoadShipped(System(), files);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->loaded, std::vector<std::string>{"aicpa-tsc-2017"});
  auto f = frameworks_.Get("aicpa-tsc-2017");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->revision, 2);
  auto page = frameworks_.Requirements("aicpa-tsc-2017", "criterion", "", 1000);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), 61u);
  const auto cc61 = std::find_if(page->items.begin(), page->items.end(),
                                 [](const Requirement& r) { return r.id == "CC6.1"; });
  ASSERT_NE(cc61, page->items.end());
  EXPECT_EQ(cc61->title, "Logical access security (corrected)");
  const auto events = audit_.With("frameworks.load");
  EXPECT_EQ(events.back().resource, "framework:aicpa-tsc-2017");
  EXPECT_EQ(events.back().details.at("revision"), "2");
  EXPECT_EQ(events.back().details.at("sha256"), f->content_sha256);
}

TEST_F(FrameworksTest, ACrosswalkWhoseIdsDoNotResolveIsRefusedAndChangesNothing) {
  ASSERT_TRUE(frameworks_.LoadShipped(System()).ok());
  json x = json::parse(ReadFile(std::filesystem::path(STRONGROOM_CATALOGS_DIR) /
                                "xwalk_iso27001-2013_to_iso27001-2022.json"));
  x["pairs"].push_back(json::array({"A.5.1.1", "A.99.1"}));
  const std::string text = x.dump();
  const EmbeddedFile files[] = {{"xwalk_iso27001-2013_to_iso27001-2022.json", text}};
  auto report = frameworks_.LoadShipped(System(), files);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().message().find("xwalk_iso27001-2013_to_iso27001-2022.json"),
            std::string::npos);
  EXPECT_NE(report.status().message().find("A.99.1"), std::string::npos);
  EXPECT_EQ(frameworks_.CrosswalkPairs("iso27001-2013_to_iso27001-2022")->size(), 115u);
}

TEST_F(FrameworksTest, ImportsAnOscalCatalogAsANewFrameworkAndRevisesItOnReimport) {
  ASSERT_TRUE(frameworks_.LoadShipped(System()).ok());
  const std::string text =
      ReadFile(std::filesystem::path(STRONGROOM_ISMS_TESTDATA_DIR) / "oscal-small-catalog.json");
  auto catalog = ParseOscalCatalog(text, "test-baseline");
  ASSERT_TRUE(catalog.ok());
  auto stored = frameworks_.Import(Operator(), *catalog, text);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(stored->origin, "imported");
  EXPECT_EQ(stored->revision, 1);
  EXPECT_EQ(stored->items, 8u);
  ASSERT_EQ(audit_.With("frameworks.import").size(), 1u);
  EXPECT_EQ(audit_.With("frameworks.import")[0].actor_id, "usr_operator");

  auto page = frameworks_.Requirements("test-baseline", std::nullopt, "", 3);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 3u);
  EXPECT_EQ(page->items[0].id, "tb-0");
  ASSERT_TRUE(page->next.has_value());
  auto rest = frameworks_.Requirements("test-baseline", std::nullopt, *page->next, 100);
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(rest->items.size(), 5u);
  EXPECT_FALSE(rest->next.has_value());
  EXPECT_EQ(rest->items.front().id, "ac-1.1");
  EXPECT_EQ(rest->items.front().extra["label"], "AC-1(1)");

  catalog->items.pop_back();
  auto again = frameworks_.Import(Operator(), *catalog, text + " ");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->revision, 2);
  EXPECT_EQ(again->items, 7u);

  // A shipped catalog cannot be overwritten by an import.
  auto clash = ParseOscalCatalog(text, "iso27001-2022");
  ASSERT_TRUE(clash.ok());
  auto refused = frameworks_.Import(Operator(), *clash, text);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), base::ErrorCode::kAlreadyExists);
  EXPECT_EQ(frameworks_.Get("iso27001-2022")->origin, "shipped");
  EXPECT_EQ(frameworks_.Requirements("iso27001-2022", "control", "", 1000)->items.size(), 93u);
}

TEST_F(FrameworksTest, RequirementsRefuseAnUnknownFrameworkOrCursor) {
  ASSERT_TRUE(frameworks_.LoadShipped(System()).ok());
  auto missing = frameworks_.Requirements("nist-csf-3.0", std::nullopt, "", 10);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), base::ErrorCode::kNotFound);
  for (const std::string cursor : {"abc", "-1", "12x"}) {
    auto bad = frameworks_.Requirements("nist-csf-2.0", std::nullopt, cursor, 10);
    ASSERT_FALSE(bad.ok()) << cursor;
    EXPECT_EQ(bad.status().code(), base::ErrorCode::kInvalidArgument);
  }
  auto subcategories = frameworks_.Requirements("nist-csf-1.1", "subcategory", "", 1000);
  ASSERT_TRUE(subcategories.ok());
  EXPECT_EQ(subcategories->items.size(), 108u);
  EXPECT_EQ(frameworks_.Get("nope").status().code(), base::ErrorCode::kNotFound);
}

}  // namespace
}  // namespace strongroom::isms
