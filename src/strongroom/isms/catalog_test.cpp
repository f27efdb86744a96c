#include "strongroom/isms/catalog.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace strongroom::isms {
namespace {

using nlohmann::json;

std::string ReadCatalogFile(const std::string& name) {
  std::ifstream in(std::filesystem::path(STRONGROOM_CATALOGS_DIR) / name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The counts catalogs/README.md and SOURCES.md state for every shipped catalog.
TEST(Catalog, EveryShippedCatalogParsesWithItsPublishedCounts) {
  struct Expected {
    std::string file;
    std::map<std::string, std::uint64_t> counts;
  };
  const std::vector<Expected> expected = {
      {"nist-csf-1.1.json", {{"function", 5}, {"category", 23}, {"subcategory", 108}}},
      {"nist-csf-2.0.json", {{"function", 6}, {"category", 22}, {"subcategory", 106}}},
      {"iso27001-2013.json", {{"clause", 35}, {"domain", 14}, {"objective", 35}, {"control", 114}}},
      {"iso27001-2022.json", {{"clause", 41}, {"theme", 4}, {"control", 93}}},
      {"aicpa-tsc-2017.json", {{"category", 5}, {"series", 20}, {"criterion", 61}}},
  };
  for (const Expected& e : expected) {
    auto c = ParseCatalog(ReadCatalogFile(e.file));
    ASSERT_TRUE(c.ok()) << e.file << ": " << c.status().ToString();
    EXPECT_EQ(c->framework.counts, e.counts) << e.file;
    EXPECT_EQ(c->framework.id + ".json", e.file);
  }
  // CSF 2.0 also lists the CSF 1.1 elements it withdrew (12 categories, 79 subcategories).
  auto csf2 = ParseCatalog(ReadCatalogFile("nist-csf-2.0.json"));
  ASSERT_TRUE(csf2.ok());
  const auto withdrawn = std::count_if(csf2->items.begin(), csf2->items.end(),
                                       [](const Requirement& r) { return r.withdrawn; });
  EXPECT_EQ(withdrawn, 12 + 79);
}

TEST(Catalog, KeepsTheCatalogsOwnFieldsAndExtras) {
  auto c = ParseCatalog(ReadCatalogFile("nist-csf-1.1.json"));
  ASSERT_TRUE(c.ok());
  const auto it = std::find_if(c->items.begin(), c->items.end(),
                               [](const Requirement& r) { return r.id == "PR.AC-1"; });
  ASSERT_NE(it, c->items.end());
  EXPECT_EQ(it->parent, "PR.AC");
  EXPECT_EQ(it->kind, "subcategory");
  ASSERT_TRUE(it->text.has_value());
  EXPECT_NE(it->text->find("Identities and credentials"), std::string::npos);
  ASSERT_TRUE(it->extra.contains("informative_references"));
  const json j = RequirementJson(*it);
  EXPECT_EQ(j["id"], "PR.AC-1");
  EXPECT_EQ(j["parent"], "PR.AC");
  EXPECT_EQ(j["status"], "active");
  EXPECT_TRUE(j["informative_references"].is_array());

  auto iso = ParseCatalog(ReadCatalogFile("iso27001-2022.json"));
  ASSERT_TRUE(iso.ok());
  for (const Requirement& r : iso->items) EXPECT_FALSE(r.text.has_value()) << r.id;  // ISO text.
}

TEST(Catalog, EveryShippedCrosswalkParses) {
  const std::map<std::string, std::size_t> pairs = {
      {"xwalk_nist-csf-1.1_to_iso27001-2013.json", 302},
      {"xwalk_nist-csf-1.1_to_nist-sp800-53r4.json", 493},
      {"xwalk_nist-csf-1.1_to_nist-csf-2.0.json", 184},
      {"xwalk_iso27001-2013_to_iso27001-2022.json", 115},
  };
  for (const auto& [file, n] : pairs) {
    auto x = ParseCrosswalk(ReadCatalogFile(file));
    ASSERT_TRUE(x.ok()) << file << ": " << x.status().ToString();
    EXPECT_EQ(x->pairs.size(), n) << file;
    EXPECT_EQ("xwalk_" + x->id() + ".json", file);
  }
}

json SmallCatalog() {
  return json::parse(R"({"schema": "catalog/v1",
    "framework": {"id": "tiny-1", "name": "Tiny", "counts": {"group": 1, "req": 2}},
    "items": [
      {"id": "G", "parent": null, "kind": "group", "title": "Group", "text": null},
      {"id": "G-1", "parent": "G", "kind": "req", "title": "One", "text": "first"},
      {"id": "G-2", "parent": "G", "kind": "req", "title": "Two", "text": null, "note": "x"}
    ]})");
}

void ExpectRefused(const json& doc, const std::string& fragment) {
  auto c = ParseCatalog(doc.dump());
  ASSERT_FALSE(c.ok()) << doc.dump();
  EXPECT_EQ(c.status().code(), base::ErrorCode::kInvalidArgument);
  EXPECT_NE(c.status().message().find(fragment), std::string::npos) << c.status().message();
}

TEST(Catalog, RefusesAMalformedCatalogSayingWhatIsWrong) {
  ASSERT_TRUE(ParseCatalog(SmallCatalog().dump()).ok());
  EXPECT_EQ(ParseCatalog(SmallCatalog().dump())->items[2].extra, (json{{"note", "x"}}));
  EXPECT_FALSE(ParseCatalog("not json").ok());
  EXPECT_FALSE(ParseCatalog("[]").ok());

  json d = SmallCatalog();
  d["schema"] = "catalog/v2";
  ExpectRefused(d, "catalog/v1");
  d = SmallCatalog();
  d["framework"]["id"] = "Has Spaces";
  ExpectRefused(d, "framework id");
  d = SmallCatalog();
  d["framework"].erase("name");
  ExpectRefused(d, "\"name\" is missing");
  d = SmallCatalog();
  d["items"][2]["id"] = "G-1";
  ExpectRefused(d, "appears twice");
  d = SmallCatalog();
  d["items"][1]["parent"] = "G-2";  // A later item.
  ExpectRefused(d, "parents come before children");
  d = SmallCatalog();
  d["items"][1]["parent"] = "nowhere";
  ExpectRefused(d, "'nowhere'");
  d = SmallCatalog();
  d["items"][1].erase("kind");
  ExpectRefused(d, "\"kind\" is missing");
  d = SmallCatalog();
  d["items"][1]["text"] = 7;
  ExpectRefused(d, "\"text\" must be a string");
  d = SmallCatalog();
  d["items"][1]["status"] = "retired";
  ExpectRefused(d, "active or withdrawn");
  d = SmallCatalog();
  d["framework"]["counts"]["req"] = 3;
  ExpectRefused(d, "states 3 active items of kind 'req' but holds 2");
  d = SmallCatalog();
  d["items"] = json::array();
  ExpectRefused(d, "no items");
  d = SmallCatalog();
  d["items"][1]["id"] = std::string(200, 'x');
  ExpectRefused(d, "1 to 128 bytes");
}

TEST(Catalog, RefusesAMalformedCrosswalk) {
  const json good = json::parse(R"({"schema": "crosswalk/v1", "from": "a", "to": "b",
    "relationship": "r", "pairs": [["x", "y"], ["x", null, "withdrawn"]]})");
  auto x = ParseCrosswalk(good.dump());
  ASSERT_TRUE(x.ok()) << x.status().ToString();
  EXPECT_EQ(x->pairs[1].to_id, std::nullopt);
  EXPECT_EQ(x->pairs[1].relation, "withdrawn");
  for (const json& bad_pair : {json::array({"x"}), json::array({1, "y"}),
                               json::array({"x", "y", "z", "w"}), json("x-y")}) {
    json d = good;
    d["pairs"].push_back(bad_pair);
    auto r = ParseCrosswalk(d.dump());
    ASSERT_FALSE(r.ok()) << bad_pair.dump();
    EXPECT_NE(r.status().message().find("pair 2"), std::string::npos) << r.status().message();
  }
  json d = good;
  d["schema"] = "catalog/v1";
  EXPECT_FALSE(ParseCrosswalk(d.dump()).ok());
  d = good;
  d.erase("relationship");
  EXPECT_FALSE(ParseCrosswalk(d.dump()).ok());
}

}  // namespace
}  // namespace strongroom::isms
