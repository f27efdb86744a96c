#include "strongroom/storage/value.hpp"

namespace strongroom::storage {
namespace {

base::Status WrongType(std::size_t i, const char* expected) {
  return base::DataLossError("stored column " + std::to_string(i) + " is not " + expected +
                             " as the schema requires; the database may have been altered");
}

}  // namespace

bool Row::IsNull(std::size_t i) const { return std::holds_alternative<std::nullptr_t>(value(i)); }

base::Result<std::int64_t> Row::GetInt(std::size_t i) const {
  if (const auto* v = std::get_if<std::int64_t>(&value(i))) return *v;
  return WrongType(i, "an integer");
}

base::Result<double> Row::GetDouble(std::size_t i) const {
  if (const auto* v = std::get_if<double>(&value(i))) return *v;
  if (const auto* v = std::get_if<std::int64_t>(&value(i))) return static_cast<double>(*v);
  return WrongType(i, "a number");
}

base::Result<std::string> Row::GetText(std::size_t i) const {
  if (const auto* v = std::get_if<std::string>(&value(i))) return *v;
  return WrongType(i, "text");
}

base::Result<base::Bytes> Row::GetBlob(std::size_t i) const {
  if (const auto* v = std::get_if<base::Bytes>(&value(i))) return *v;
  return WrongType(i, "a blob");
}

base::Result<std::optional<std::string>> Row::GetOptionalText(std::size_t i) const {
  if (IsNull(i)) return std::optional<std::string>();
  if (const auto* v = std::get_if<std::string>(&value(i))) return std::optional<std::string>(*v);
  return WrongType(i, "text or NULL");
}

base::Result<std::optional<std::int64_t>> Row::GetOptionalInt(std::size_t i) const {
  if (IsNull(i)) return std::optional<std::int64_t>();
  if (const auto* v = std::get_if<std::int64_t>(&value(i))) {
    return std::optional<std::int64_t>(*v);
  }
  return WrongType(i, "an integer or NULL");
}

}  // namespace strongroom::storage
