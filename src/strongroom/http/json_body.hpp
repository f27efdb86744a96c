#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "strongroom/base/result.hpp"
#include "strongroom/http/message.hpp"

namespace strongroom::http {

// The request body as a JSON object whose fields are all among `accepted`. Errors
// (kInvalidArgument) say what is wrong: not JSON (with the parser's position), not an object, or
// an unknown field (with the accepted names), so a typo is never silently ignored.
base::Result<nlohmann::json> JsonObjectBody(const Request& request,
                                            std::initializer_list<std::string_view> accepted);

// Field readers. Errors (kInvalidArgument) name the field and the type expected.
base::Result<std::string> RequiredString(const nlohmann::json& object, std::string_view field);
base::Result<std::optional<std::string>> OptionalString(const nlohmann::json& object,
                                                        std::string_view field);
base::Result<std::optional<bool>> OptionalBool(const nlohmann::json& object,
                                               std::string_view field);
base::Result<std::optional<std::int64_t>> OptionalInt(const nlohmann::json& object,
                                                      std::string_view field);
base::Result<std::vector<std::string>> StringList(const nlohmann::json& object,
                                                  std::string_view field, bool required);

// A JSON response.
Response JsonResponse(int status, const nlohmann::json& body);

}  // namespace strongroom::http
