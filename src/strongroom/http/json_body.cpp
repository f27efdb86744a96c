#include "strongroom/http/json_body.hpp"

namespace strongroom::http {
namespace {

base::Status WrongType(std::string_view field, std::string_view expected) {
  return base::InvalidArgumentError("field '" + std::string(field) + "' must be " +
                                    std::string(expected));
}

}  // namespace

base::Result<nlohmann::json> JsonObjectBody(const Request& request,
                                            std::initializer_list<std::string_view> accepted) {
  if (request.body.empty()) {
    return base::InvalidArgumentError("the request needs a JSON object body");
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(request.body);
  } catch (const nlohmann::json::parse_error& e) {
    return base::InvalidArgumentError("the body is not valid JSON (byte " + std::to_string(e.byte) +
                                      ")");
  }
  if (!j.is_object()) return base::InvalidArgumentError("the body must be a JSON object");
  for (const auto& [key, value] : j.items()) {
    bool known = false;
    for (std::string_view a : accepted) known = known || a == key;
    if (!known) {
      std::string list;
      for (std::string_view a : accepted) {
        if (!list.empty()) list += ", ";
        list += a;
      }
      return base::InvalidArgumentError("unknown field '" + key.substr(0, 64) +
                                        "'; accepted: " + list);
    }
  }
  return j;
}

base::Result<std::string> RequiredString(const nlohmann::json& o, std::string_view field) {
  const auto it = o.find(field);
  if (it == o.end()) {
    return base::InvalidArgumentError("field '" + std::string(field) + "' is required");
  }
  if (!it->is_string()) return WrongType(field, "a string");
  return it->get<std::string>();
}

base::Result<std::optional<std::string>> OptionalString(const nlohmann::json& o,
                                                        std::string_view field) {
  const auto it = o.find(field);
  if (it == o.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) return WrongType(field, "a string");
  return std::optional<std::string>(it->get<std::string>());
}

base::Result<std::optional<bool>> OptionalBool(const nlohmann::json& o, std::string_view field) {
  const auto it = o.find(field);
  if (it == o.end() || it->is_null()) return std::optional<bool>();
  if (!it->is_boolean()) return WrongType(field, "true or false");
  return std::optional<bool>(it->get<bool>());
}

base::Result<std::optional<std::int64_t>> OptionalInt(const nlohmann::json& o,
                                                      std::string_view field) {
  const auto it = o.find(field);
  if (it == o.end() || it->is_null()) return std::optional<std::int64_t>();
  if (!it->is_number_integer()) return WrongType(field, "an integer");
  return std::optional<std::int64_t>(it->get<std::int64_t>());
}

base::Result<std::vector<std::string>> StringList(const nlohmann::json& o, std::string_view field,
                                                  bool required) {
  const auto it = o.find(field);
  if (it == o.end() || it->is_null()) {
    if (required) {
      return base::InvalidArgumentError("field '" + std::string(field) + "' is required");
    }
    return std::vector<std::string>();
  }
  if (!it->is_array()) return WrongType(field, "an array of strings");
  std::vector<std::string> out;
  for (const auto& v : *it) {
    if (!v.is_string()) return WrongType(field, "an array of strings");
    out.push_back(v.get<std::string>());
  }
  return out;
}

Response JsonResponse(int status, const nlohmann::json& body) {
  return Response::Json(status,
                        body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace strongroom::http
