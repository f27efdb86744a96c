#pragma once

#include <string>
#include <string_view>

#include "strongroom/base/status.hpp"
#include "strongroom/http/message.hpp"

namespace strongroom::http {

// {"error": {"code": "<code>", "message": "<message>"}} with the given HTTP status.
Response ErrorResponse(int status, std::string_view code, std::string_view message);

// The one place a Status becomes an HTTP status. Client errors keep their message (it says what
// was wrong and what is accepted); server errors (5xx) get a generic message naming the request
// id, and the detail goes only to the log.
Response ErrorResponse(const base::Status& status, std::string_view request_id);

// The HTTP status for an error code.
int HttpStatusFor(base::ErrorCode code);

}  // namespace strongroom::http
