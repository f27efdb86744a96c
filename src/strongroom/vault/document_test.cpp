#include "strongroom/vault/document.hpp"

#include <gtest/gtest.h>

#include "strongroom/vault/collections.hpp"

namespace strongroom::vault {
namespace {

using nlohmann::json;

std::size_t Size(const json& j) { return j.dump().size(); }

TEST(CheckDocument, AcceptsAnObjectWithinEveryLimit) {
  const json doc = {{"name", "Ada"}, {"tags", {1, 2, {{"x", true}}}}};
  EXPECT_TRUE(CheckDocument(doc, Size(doc), RecordLimits{}).ok());
}

TEST(CheckDocument, RefusesAnythingButAnObject) {
  for (const json& j : {json::array({1}), json("text"), json(3), json(nullptr)}) {
    const auto s = CheckDocument(j, Size(j), RecordLimits{});
    EXPECT_EQ(s.code(), base::ErrorCode::kInvalidArgument);
    EXPECT_EQ(s.message(), "a record must be a JSON object");
  }
}

TEST(CheckDocument, NamesEachLimitExceeded) {
  RecordLimits limits;
  limits.max_bytes = 20;
  limits.max_depth = 3;
  limits.max_fields = 4;
  const json big = {{"text", std::string(30, 'x')}};
  EXPECT_NE(CheckDocument(big, Size(big), limits).message().find("the limit is 20"),
            std::string::npos);
  const json deep = {{"a", {{"b", {{"c", {{"d", 1}}}}}}}};
  const auto s = CheckDocument(deep, 0, limits);
  EXPECT_EQ(s.code(), base::ErrorCode::kInvalidArgument);
  EXPECT_NE(s.message().find("nests 4 levels deep; the limit is 3"), std::string::npos);
  const json wide = {{"a", 1}, {"b", 2}, {"c", {{"d", 1}, {"e", 2}}}};
  EXPECT_NE(CheckDocument(wide, 0, limits).message().find("has 5 fields"), std::string::npos);
  const json ok = {{"a", 1}, {"b", 2}, {"c", {{"d", 1}}}};
  EXPECT_TRUE(CheckDocument(ok, 0, limits).ok());
}

TEST(ValidateRecordId, AcceptsUrlSafeIdsAndRefusesTheRest) {
  for (const char* ok : {"a", "A-1_b.c~d", "0123456789"}) EXPECT_TRUE(ValidateRecordId(ok).ok());
  for (const std::string& bad :
       std::vector<std::string>{"", ".", "..", "a/b", "a b", "é", "a%2F", std::string(129, 'a')}) {
    EXPECT_EQ(ValidateRecordId(bad).code(), base::ErrorCode::kInvalidArgument) << bad;
  }
  EXPECT_TRUE(ValidateRecordId(std::string(128, 'a')).ok());
}

TEST(ValidateCollectionName, AcceptsLowerCaseNamesOnly) {
  for (const char* ok : {"contacts", "a", "2024-invoices", "x_y"}) {
    EXPECT_TRUE(ValidateCollectionName(ok).ok()) << ok;
  }
  for (const std::string& bad :
       std::vector<std::string>{"", "Contacts", "_x", "-x", "a.b", "a/b", std::string(65, 'a')}) {
    EXPECT_EQ(ValidateCollectionName(bad).code(), base::ErrorCode::kInvalidArgument) << bad;
  }
}

TEST(ValidateCollectionSpec, RefusesAFieldThatIsBothLookupAndRestricted) {
  CollectionSpec spec;
  spec.lookup_fields = {"email"};
  spec.restricted_fields = {"email"};
  const auto s = ValidateCollectionSpec(spec);
  EXPECT_EQ(s.code(), base::ErrorCode::kInvalidArgument);
  EXPECT_NE(s.message().find("'email'"), std::string::npos);
}

TEST(ValidateCollectionSpec, RefusesDuplicatesBadNamesAndRetentionOutOfRange) {
  CollectionSpec dup;
  dup.lookup_fields = {"a", "a"};
  EXPECT_NE(ValidateCollectionSpec(dup).message().find("twice"), std::string::npos);
  CollectionSpec control;
  control.restricted_fields = {std::string("a\x01", 2)};
  EXPECT_EQ(ValidateCollectionSpec(control).code(), base::ErrorCode::kInvalidArgument);
  for (int days : {0, -1, kMaxRetentionDays + 1}) {
    CollectionSpec r;
    r.retention_days = days;
    EXPECT_NE(ValidateCollectionSpec(r).message().find("retention_days must be from 1"),
              std::string::npos);
  }
  CollectionSpec many;
  for (std::size_t i = 0; i <= kMaxDeclaredFields; ++i) {
    many.lookup_fields.push_back("f" + std::to_string(i));
  }
  EXPECT_EQ(ValidateCollectionSpec(many).code(), base::ErrorCode::kInvalidArgument);
}

TEST(MaskFields, ReplacesOnlyRestrictedFieldsThatArePresent) {
  json doc = {{"name", "Ada"}, {"ssn", "123-45-6789"}, {"card", {{"n", 4111}}}};
  const auto masked = MaskFields(doc, {"ssn", "card", "absent"});
  EXPECT_EQ(masked, (std::vector<std::string>{"ssn", "card"}));
  EXPECT_EQ(doc, (json{{"name", "Ada"}, {"ssn", "***"}, {"card", "***"}}));
}

TEST(KeepMaskedFields, KeepsStoredValuesWhereTheWriterSentTheMask) {
  const json previous = {{"name", "Ada"}, {"ssn", "123-45-6789"}};
  json update = {{"name", "Ada L."}, {"ssn", "***"}, {"pin", "***"}};
  KeepMaskedFields(update, &previous, {"ssn", "pin"});
  EXPECT_EQ(update, (json{{"name", "Ada L."}, {"ssn", "123-45-6789"}}));
  json changed = {{"ssn", "999"}};
  KeepMaskedFields(changed, &previous, {"ssn"});
  EXPECT_EQ(changed["ssn"], "999");  // A new value is a new value.
}

TEST(IndexTerms, NormalisesStringsAndTagsTypes) {
  EXPECT_EQ(IndexTerms(json("  Ada@Example.COM ")),
            (std::vector<std::string>{"s:ada@example.com"}));
  EXPECT_EQ(IndexTerms(json(42)), (std::vector<std::string>{"n:42"}));
  EXPECT_EQ(IndexTerms(json(42.0)), (std::vector<std::string>{"n:42"}));
  EXPECT_EQ(IndexTerms(json(true)), (std::vector<std::string>{"b:true"}));
  EXPECT_EQ(IndexTerms(json::array({"b", "A", "a", 1})),
            (std::vector<std::string>{"n:1", "s:a", "s:b"}));
  EXPECT_TRUE(IndexTerms(json(nullptr)).empty());
  EXPECT_TRUE(IndexTerms(json::object({{"a", 1}})).empty());
}

TEST(QueryTerms, MatchTheStringAndWhatItSpells) {
  EXPECT_EQ(QueryTerms("42"), (std::vector<std::string>{"s:42", "n:42"}));
  EXPECT_EQ(QueryTerms("true"), (std::vector<std::string>{"s:true", "b:true"}));
  EXPECT_EQ(QueryTerms(" Ada "), (std::vector<std::string>{"s:ada"}));
}

}  // namespace
}  // namespace strongroom::vault
