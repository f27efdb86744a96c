#include "strongroom/isms/oscal.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace strongroom::isms {
namespace {

using nlohmann::json;

std::string SmallOscal() {
  std::ifstream in(std::filesystem::path(STRONGROOM_ISMS_TESTDATA_DIR) / "oscal-small-catalog.json",
                   std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const Requirement& Item(const Catalog& c, const std::string& id) {
  static const Requirement kMissing{"<missing>"};
  for (const Requirement& r : c.items) {
    if (r.id == id) return r;
  }
  ADD_FAILURE() << "no item " << id;
  return kMissing;
}

TEST(Oscal, MapsMetadataGroupsControlsAndParameters) {
  auto c = ParseOscalCatalog(SmallOscal(), "test-baseline");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const FrameworkInfo& f = c->framework;
  EXPECT_EQ(f.id, "test-baseline");
  EXPECT_EQ(f.name, "Strongroom Test Baseline");
  EXPECT_EQ(f.version, "1.2");
  EXPECT_EQ(f.published, "2026-11-30");
  EXPECT_EQ(f.publisher, "Example Security Office");  // The creator, not the first party.
  EXPECT_NE(f.notes.find("5f6a1c2e-0b7d-4c1e-9a51-2b1d7c3e4f50"), std::string::npos);
  EXPECT_NE(f.notes.find("1.1.2"), std::string::npos);

  // Document order: the catalog's own control, then each group with what it holds.
  std::vector<std::string> ids;
  for (const Requirement& r : c->items) ids.push_back(r.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"tb-0", "ac", "ac-1", "ac-1.1", "ac-2", "group-1",
                                           "op-bk", "op-bk-1"}));
  EXPECT_EQ(f.counts,
            (std::map<std::string, std::uint64_t>{
                {"control", 2}, {"enhancement", 1}, {"family", 1}, {"group", 2}, {"SP800-53", 1}}));

  const Requirement& ac = Item(*c, "ac");
  EXPECT_EQ(ac.kind, "family");
  EXPECT_EQ(ac.parent, std::nullopt);
  EXPECT_EQ(ac.extra["label"], "AC");

  const Requirement& ac1 = Item(*c, "ac-1");
  EXPECT_EQ(ac1.parent, "ac");
  EXPECT_EQ(ac1.kind, "SP800-53");
  EXPECT_EQ(ac1.title, "Policy and Procedures");
  EXPECT_EQ(ac1.extra["label"], "AC-1");
  EXPECT_EQ(ac1.extra["class"], "SP800-53");
  EXPECT_EQ(ac1.text,
            "a. Develop and disseminate to [Assignment: organization-defined personnel or roles]: "
            "[Selection (one or more): organization-level; system-level] access control policy;\n"
            "b. Review the policy annually.");
  EXPECT_EQ(ac1.extra["guidance"], "Policies address access control.");

  const Requirement& enhancement = Item(*c, "ac-1.1");
  EXPECT_EQ(enhancement.parent, "ac-1");
  EXPECT_EQ(enhancement.kind, "enhancement");
  EXPECT_EQ(enhancement.extra["label"], "AC-1(1)");

  EXPECT_TRUE(Item(*c, "ac-2").withdrawn);
  EXPECT_FALSE(Item(*c, "ac-2").text.has_value());

  const Requirement& unnamed = Item(*c, "group-1");
  EXPECT_EQ(unnamed.title, "Operations");
  EXPECT_EQ(Item(*c, "op-bk").parent, "group-1");
  EXPECT_EQ(Item(*c, "op-bk").text, "Backups and restores.");  // The overview part.
  EXPECT_EQ(Item(*c, "op-bk-1").text, "Backups are encrypted with AES-256.");
  EXPECT_EQ(Item(*c, "tb-0").parent, std::nullopt);
}

void ExpectRefused(const std::string& text, const std::string& fragment,
                   const std::string& id = "test-baseline") {
  auto c = ParseOscalCatalog(text, id);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), base::ErrorCode::kInvalidArgument);
  EXPECT_NE(c.status().message().find(fragment), std::string::npos) << c.status().message();
}

TEST(Oscal, RefusesWhatIsNotACatalogInWords) {
  ExpectRefused("{", "not valid JSON");
  ExpectRefused(R"({"profile": {}})", "not an OSCAL catalog");
  ExpectRefused(R"({"catalog": {"uuid": "x"}})", "no \"metadata\"");
  ExpectRefused(R"({"catalog": {"metadata": {}}})", "no title");
  ExpectRefused(R"({"catalog": {"metadata": {"title": "T"}}})", "no items");
  ExpectRefused(R"({"catalog": {"metadata": {"title": "T"}, "controls": [{"title": "x"}]}})",
                "a control has no id");
  ExpectRefused(R"({"catalog": {"metadata": {"title": "T"}, "controls": [{"id": "c"}]}})",
                "control 'c' has no title");
  ExpectRefused(R"({"catalog": {"metadata": {"title": "T"}, "controls": [{"id": "c", "title": "C"},
                {"id": "c", "title": "again"}]}})",
                "appears twice");
  ExpectRefused(R"({"catalog": {"metadata": {"title": "T"}, "groups": {"id": "g"}}})",
                "\"groups\" must be an array");
  ExpectRefused(SmallOscal(), "framework id", "Not An Id");
  // Nesting is bounded before any recursive parser sees the text.
  std::string deep = R"({"catalog": {"metadata": {"title": "T"}, "groups": )";
  for (int i = 0; i < 100; ++i)
    deep += R"([{"id": "g)" + std::to_string(i) + R"(", "title": "G", "groups": )";
  ExpectRefused(deep, "nests deeper than 64");
}

}  // namespace
}  // namespace strongroom::isms
