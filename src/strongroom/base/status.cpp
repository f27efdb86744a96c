#include "strongroom/base/status.hpp"

#include <cerrno>
#include <cstring>
#include <string>

namespace strongroom::base {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return "ok";
    case ErrorCode::kCancelled:
      return "cancelled";
    case ErrorCode::kUnknown:
      return "unknown";
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kDeadlineExceeded:
      return "deadline_exceeded";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kAlreadyExists:
      return "already_exists";
    case ErrorCode::kPermissionDenied:
      return "permission_denied";
    case ErrorCode::kResourceExhausted:
      return "resource_exhausted";
    case ErrorCode::kFailedPrecondition:
      return "failed_precondition";
    case ErrorCode::kAborted:
      return "aborted";
    case ErrorCode::kOutOfRange:
      return "out_of_range";
    case ErrorCode::kUnimplemented:
      return "unimplemented";
    case ErrorCode::kInternal:
      return "internal";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kDataLoss:
      return "data_loss";
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out(ErrorCodeName(code_));
  out += ": ";
  out += message_;
  return out;
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  std::string message(context);
  message += ": ";
  message += message_;
  return Status(code_, std::move(message));
}

Status InvalidArgumentError(std::string m) { return {ErrorCode::kInvalidArgument, std::move(m)}; }
Status NotFoundError(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
Status AlreadyExistsError(std::string m) { return {ErrorCode::kAlreadyExists, std::move(m)}; }
Status PermissionDeniedError(std::string m) { return {ErrorCode::kPermissionDenied, std::move(m)}; }
Status ResourceExhaustedError(std::string m) {
  return {ErrorCode::kResourceExhausted, std::move(m)};
}
Status FailedPreconditionError(std::string m) {
  return {ErrorCode::kFailedPrecondition, std::move(m)};
}
Status AbortedError(std::string m) { return {ErrorCode::kAborted, std::move(m)}; }
Status OutOfRangeError(std::string m) { return {ErrorCode::kOutOfRange, std::move(m)}; }
Status InternalError(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }
Status UnavailableError(std::string m) { return {ErrorCode::kUnavailable, std::move(m)}; }
Status DataLossError(std::string m) { return {ErrorCode::kDataLoss, std::move(m)}; }
Status UnauthenticatedError(std::string m) { return {ErrorCode::kUnauthenticated, std::move(m)}; }
Status DeadlineExceededError(std::string m) { return {ErrorCode::kDeadlineExceeded, std::move(m)}; }

Status ErrnoError(std::string_view what, int errno_value) {
  ErrorCode code = ErrorCode::kUnknown;
  switch (errno_value) {
    case ENOENT:
      code = ErrorCode::kNotFound;
      break;
    case EEXIST:
    case ENOTEMPTY:
      code = ErrorCode::kAlreadyExists;
      break;
    case EACCES:
    case EPERM:
      code = ErrorCode::kPermissionDenied;
      break;
    case ENOSPC:
    case EDQUOT:
    case EMFILE:
    case ENFILE:
      code = ErrorCode::kResourceExhausted;
      break;
    case EINVAL:
    case ENAMETOOLONG:
    case ENOTDIR:
    case EISDIR:
      code = ErrorCode::kInvalidArgument;
      break;
    case EAGAIN:
    case EBUSY:
    case EINTR:
      code = ErrorCode::kUnavailable;
      break;
    case EIO:
      code = ErrorCode::kDataLoss;
      break;
    default:
      break;
  }
  std::string message(what);
  message += ": ";
  message += std::strerror(errno_value);
  return Status(code, std::move(message));
}

}  // namespace strongroom::base
