#pragma once

#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "strongroom/base/result.hpp"
#include "strongroom/base/status.hpp"

namespace strongroom::base {

// Owns a file descriptor and closes it on scope exit. Thread-compatible.
class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd();
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const { return fd_; }
  // Gives the descriptor up without closing it.
  int release();
  // Closes now and reports the error a close can return (the last chance to hear of a failed
  // write on some file systems).
  Status Close();

 private:
  int fd_;
};

// Writes `data` to a new file at `path` with `mode`, fsyncs it and its directory. Fails with
// kAlreadyExists when `path` exists (O_EXCL): it never overwrites. On error nothing is left at
// `path`.
Status WriteNewFile(const std::filesystem::path& path, std::string_view data, mode_t mode);

// Reads a whole regular file of at most `max_bytes`. Errors: kNotFound, kPermissionDenied,
// kInvalidArgument (not a regular file), kOutOfRange (larger than max_bytes).
Result<std::string> ReadSmallFile(const std::filesystem::path& path, std::size_t max_bytes);

// Permission bits (st_mode & 07777) of `path`, following symlinks.
Result<mode_t> FilePermissions(const std::filesystem::path& path);

// Fails (kFailedPrecondition) when group or others have any permission on `path`, with the mode
// and the chmod that fixes it; `what` names the file in the message ("root key file").
Status CheckOwnerOnly(const std::filesystem::path& path, std::string_view what);

// Fsyncs a directory so a rename or create inside it is durable.
Status SyncDirectory(const std::filesystem::path& dir);

}  // namespace strongroom::base
