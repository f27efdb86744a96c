#include "strongroom/storage/value.hpp"

#include <gtest/gtest.h>

namespace strongroom::storage {
namespace {

TEST(Row, ReturnsTypedValuesAndReportsTypeMismatchAsDataLoss) {
  const Row row({Int(7), Text("x"), Blob(base::AsBytes("b")), Null(), Value(1.5)});
  EXPECT_EQ(*row.GetInt(0), 7);
  EXPECT_EQ(*row.GetText(1), "x");
  EXPECT_EQ(*row.GetBlob(2), base::ToBytes("b"));
  EXPECT_TRUE(row.IsNull(3));
  EXPECT_EQ(*row.GetDouble(4), 1.5);
  EXPECT_EQ(*row.GetDouble(0), 7.0);
  EXPECT_EQ(*row.GetOptionalText(3), std::nullopt);
  EXPECT_EQ(*row.GetOptionalInt(0), 7);
  EXPECT_EQ(row.GetInt(1).status().code(), base::ErrorCode::kDataLoss);
  EXPECT_EQ(row.GetText(0).status().code(), base::ErrorCode::kDataLoss);
  EXPECT_EQ(row.GetBlob(1).status().code(), base::ErrorCode::kDataLoss);
  EXPECT_EQ(row.GetOptionalText(0).status().code(), base::ErrorCode::kDataLoss);
}

}  // namespace
}  // namespace strongroom::storage
