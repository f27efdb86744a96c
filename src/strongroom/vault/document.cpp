#include "strongroom/vault/document.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace strongroom::vault {
namespace {

struct Walk {
  std::size_t depth = 0;
  std::size_t fields = 0;
};

void Measure(const nlohmann::json& j, std::size_t level, Walk& w) {
  if (!j.is_object() && !j.is_array()) return;
  w.depth = std::max(w.depth, level);
  if (j.is_object()) w.fields += j.size();
  for (const auto& child : j) Measure(child, level + 1, w);
}

std::string NormaliseString(std::string_view s) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  std::string out = "s:";
  out.reserve(s.size() + 2);
  for (char c : s) out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  return out;
}

// 42, 42.0 and 4.2e1 are one number: integral values print as integers.
std::string NumberTerm(const nlohmann::json& v) {
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (std::trunc(d) == d && std::fabs(d) < 9007199254740992.0) {
      return "n:" + std::to_string(static_cast<std::int64_t>(d));
    }
  }
  return "n:" + v.dump();
}

void AddScalarTerm(const nlohmann::json& v, std::vector<std::string>& out) {
  if (v.is_string()) {
    out.push_back(NormaliseString(v.get_ref<const std::string&>()));
  } else if (v.is_boolean()) {
    out.push_back(v.get<bool>() ? "b:true" : "b:false");
  } else if (v.is_number()) {
    out.push_back(NumberTerm(v));
  }
}

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '~' || c == '-';
}

}  // namespace

base::Status CheckDocument(const nlohmann::json& document, std::size_t serialized_bytes,
                           const RecordLimits& limits) {
  if (!document.is_object()) {
    return base::InvalidArgumentError("a record must be a JSON object");
  }
  if (serialized_bytes > limits.max_bytes) {
    return base::InvalidArgumentError("the record is " + std::to_string(serialized_bytes) +
                                      " bytes as compact JSON; the limit is " +
                                      std::to_string(limits.max_bytes));
  }
  Walk w;
  Measure(document, 1, w);
  if (w.depth > limits.max_depth) {
    return base::InvalidArgumentError("the record nests " + std::to_string(w.depth) +
                                      " levels deep; the limit is " +
                                      std::to_string(limits.max_depth));
  }
  if (w.fields > limits.max_fields) {
    return base::InvalidArgumentError("the record has " + std::to_string(w.fields) +
                                      " fields at all levels; the limit is " +
                                      std::to_string(limits.max_fields));
  }
  return base::OkStatus();
}

base::Status ValidateRecordId(std::string_view id) {
  if (id.empty() || id.size() > 128 || id == "." || id == ".." ||
      !std::all_of(id.begin(), id.end(), IsIdChar)) {
    return base::InvalidArgumentError(
        "record ids are 1 to 128 characters of A-Z, a-z, 0-9, '.', '_', '~' and '-' (not '.' or "
        "'..')");
  }
  return base::OkStatus();
}

base::Status ValidateFieldName(std::string_view name) {
  if (name.empty() || name.size() > 128) {
    return base::InvalidArgumentError("field names are 1 to 128 characters long");
  }
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7F) {
      return base::InvalidArgumentError("field names must not contain control characters");
    }
  }
  return base::OkStatus();
}

std::vector<std::string> MaskFields(nlohmann::json& document,
                                    const std::vector<std::string>& restricted) {
  std::vector<std::string> masked;
  if (!document.is_object()) return masked;
  for (const std::string& field : restricted) {
    auto it = document.find(field);
    if (it == document.end()) continue;
    *it = kMaskedValue;
    masked.push_back(field);
  }
  return masked;
}

void KeepMaskedFields(nlohmann::json& document, const nlohmann::json* previous,
                      const std::vector<std::string>& restricted) {
  for (const std::string& field : restricted) {
    auto it = document.find(field);
    if (it == document.end() || !it->is_string() ||
        it->get_ref<const std::string&>() != kMaskedValue) {
      continue;
    }
    const bool had = previous != nullptr && previous->is_object() && previous->contains(field);
    if (had) {
      *it = previous->at(field);
    } else {
      document.erase(it);
    }
  }
}

std::vector<std::string> IndexTerms(const nlohmann::json& value) {
  std::vector<std::string> out;
  if (value.is_array()) {
    for (const auto& element : value) AddScalarTerm(element, out);
  } else {
    AddScalarTerm(value, out);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::string> QueryTerms(std::string_view text) {
  std::vector<std::string> out{NormaliseString(text)};
  if (text == "true" || text == "false") {
    out.push_back("b:" + std::string(text));
  } else {
    const auto number = nlohmann::json::parse(text, nullptr, false);
    if (number.is_number()) out.push_back(NumberTerm(number));
  }
  return out;
}

}  // namespace strongroom::vault
