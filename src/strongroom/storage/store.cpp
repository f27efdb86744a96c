#include "strongroom/storage/store.hpp"

#include "strongroom/base/status_macros.hpp"

namespace strongroom::storage {
namespace {

// A materialised Row seen through the RowView interface.
class MaterialisedRow final : public RowView {
 public:
  explicit MaterialisedRow(const Row& row) : row_(row) {}
  std::size_t size() const override { return row_.size(); }
  bool IsNull(std::size_t i) const override { return row_.IsNull(i); }
  base::Result<std::int64_t> GetInt(std::size_t i) const override { return row_.GetInt(i); }
  base::Result<std::string_view> GetText(std::size_t i) const override {
    if (const auto* v = std::get_if<std::string>(&row_.value(i))) return std::string_view(*v);
    return row_.GetText(i).error();
  }
  base::Result<base::ByteView> GetBlob(std::size_t i) const override {
    if (const auto* v = std::get_if<base::Bytes>(&row_.value(i))) return base::ByteView(*v);
    return row_.GetBlob(i).error();
  }

 private:
  const Row& row_;
};

}  // namespace

base::Status Transaction::ForEach(std::string_view sql, const std::vector<Value>& params,
                                  const std::function<base::Status(const RowView&)>& visit) {
  SR_ASSIGN_OR_RETURN(const std::vector<Row> rows, Query(sql, params));
  for (const Row& row : rows) SR_RETURN_IF_ERROR(visit(MaterialisedRow(row)));
  return base::OkStatus();
}

}  // namespace strongroom::storage
