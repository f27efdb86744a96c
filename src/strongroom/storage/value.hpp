#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "strongroom/base/bytes.hpp"
#include "strongroom/base/result.hpp"

namespace strongroom::storage {

// A SQL value: NULL, a 64-bit integer, a double, text or a blob. Statements take every variable
// part as a Value bound to a placeholder; nothing is ever spliced into SQL text.
using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string, base::Bytes>;

inline Value Text(std::string_view s) { return Value(std::string(s)); }
inline Value Blob(base::ByteView b) { return Value(base::Bytes(b.begin(), b.end())); }
inline Value Int(std::int64_t v) { return Value(v); }
inline Value Null() { return Value(nullptr); }
template <typename T>
Value OptionalText(const std::optional<T>& v) {
  return v ? Text(*v) : Null();
}

// One result row. Accessors check the column's type and fail with kDataLoss when the stored value
// is not what the schema says: a database edited behind the server's back is reported, never
// trusted. Thread-compatible.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}

  std::size_t size() const { return values_.size(); }
  bool IsNull(std::size_t i) const;
  base::Result<std::int64_t> GetInt(std::size_t i) const;
  base::Result<double> GetDouble(std::size_t i) const;
  base::Result<std::string> GetText(std::size_t i) const;
  base::Result<base::Bytes> GetBlob(std::size_t i) const;
  // NULL becomes nullopt; any other non-text value is kDataLoss.
  base::Result<std::optional<std::string>> GetOptionalText(std::size_t i) const;
  base::Result<std::optional<std::int64_t>> GetOptionalInt(std::size_t i) const;
  const Value& value(std::size_t i) const { return values_.at(i); }

 private:
  std::vector<Value> values_;
};

}  // namespace strongroom::storage
