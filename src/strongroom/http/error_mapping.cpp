#include "strongroom/http/error_mapping.hpp"

#include <nlohmann/json.hpp>

namespace strongroom::http {

Response ErrorResponse(int status, std::string_view code, std::string_view message) {
  nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
  // Replace invalid UTF-8 rather than throw: a message may quote part of a bad request.
  return Response::Json(status,
                        body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

int HttpStatusFor(base::ErrorCode code) {
  using base::ErrorCode;
  switch (code) {
    case ErrorCode::kOk:
      return 200;
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kOutOfRange:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kAborted:
      return 409;
    case ErrorCode::kFailedPrecondition:
      return 409;
    case ErrorCode::kResourceExhausted:
      return 429;
    case ErrorCode::kCancelled:
      return 499;
    case ErrorCode::kUnimplemented:
      return 501;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kDeadlineExceeded:
      return 504;
    case ErrorCode::kUnknown:
    case ErrorCode::kInternal:
    case ErrorCode::kDataLoss:
      return 500;
  }
  return 500;
}

Response ErrorResponse(const base::Status& status, std::string_view request_id) {
  const int http_status = HttpStatusFor(status.code());
  if (http_status >= 500 && http_status != 503) {
    return ErrorResponse(http_status, "internal",
                         "the server could not complete the request; quote request id " +
                             std::string(request_id) + " to the operator");
  }
  return ErrorResponse(http_status, base::ErrorCodeName(status.code()), status.message());
}

}  // namespace strongroom::http
