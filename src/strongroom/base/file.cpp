#include "strongroom/base/file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

namespace strongroom::base {

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

int UniqueFd::release() {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

Status UniqueFd::Close() {
  const int fd = release();
  if (fd >= 0 && ::close(fd) != 0) return ErrnoError("cannot close a file", errno);
  return OkStatus();
}
namespace {

using Fd = UniqueFd;

}  // namespace

Status SyncDirectory(const std::filesystem::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return ErrnoError("cannot open directory " + dir.string(), errno);
  if (::fsync(fd.get()) != 0) return ErrnoError("cannot sync directory " + dir.string(), errno);
  return OkStatus();
}

Status WriteNewFile(const std::filesystem::path& path, std::string_view data, mode_t mode) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode));
  if (fd.get() < 0) return ErrnoError("cannot create " + path.string(), errno);
  const auto fail = [&](const char* what, int err) {
    ::close(fd.release());
    ::unlink(path.c_str());
    return ErrnoError(std::string(what) + " " + path.string(), err);
  };
  // The umask may have narrowed `mode`; fchmod makes the result exactly what was asked.
  if (::fchmod(fd.get(), mode) != 0) return fail("cannot set the mode of", errno);
  while (!data.empty()) {
    const ssize_t n = ::write(fd.get(), data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write", errno);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  if (::fsync(fd.get()) != 0) return fail("cannot sync", errno);
  if (::close(fd.release()) != 0) {
    const int err = errno;
    ::unlink(path.c_str());
    return ErrnoError("cannot close " + path.string(), err);
  }
  const auto parent = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  return SyncDirectory(parent);
}

Result<std::string> ReadSmallFile(const std::filesystem::path& path, std::size_t max_bytes) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return ErrnoError("cannot open " + path.string(), errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return ErrnoError("cannot stat " + path.string(), errno);
  if (!S_ISREG(st.st_mode)) {
    return InvalidArgumentError(path.string() + " is not a regular file");
  }
  if (static_cast<std::size_t>(st.st_size) > max_bytes) {
    return OutOfRangeError(path.string() + " is " + std::to_string(st.st_size) +
                           " bytes; at most " + std::to_string(max_bytes) + " are accepted");
  }
  std::string out(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::read(fd.get(), out.data() + done, out.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("cannot read " + path.string(), errno);
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  out.resize(done);
  return out;
}

Status CheckOwnerOnly(const std::filesystem::path& path, std::string_view what) {
  const Result<mode_t> mode = FilePermissions(path);
  if (!mode.ok()) return mode.error().WithContext(what);
  if ((*mode & 077) != 0) {
    char octal[16];
    std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(*mode));
    return FailedPreconditionError(
        std::string(what) + " " + path.string() + " has mode " + octal +
        ", so group or others may access it; it must be readable by its owner only (run: chmod "
        "600 " +
        path.string() + ")");
  }
  return OkStatus();
}

Result<mode_t> FilePermissions(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return ErrnoError("cannot stat " + path.string(), errno);
  return static_cast<mode_t>(st.st_mode & 07777);
}

}  // namespace strongroom::base
