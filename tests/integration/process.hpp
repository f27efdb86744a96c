#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace strongroom::testing {

// The strongroom binary under test (set by CMake).
inline std::filesystem::path StrongroomBinary() { return STRONGROOM_BINARY; }

// A child process with stdout and stderr captured in files (files, not pipes, so a chatty child
// never blocks on a full pipe). Killed with SIGKILL if still running when destroyed.
class Process {
 public:
  // `extra_env` ("NAME=value") is added to this process's environment, replacing any entry of
  // the same name.
  Process(std::vector<std::string> args, std::filesystem::path output_dir,
          const std::vector<std::string>& extra_env = {});
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  bool started() const { return pid_ > 0; }
  std::string Stdout() const;
  std::string Stderr() const;
  // Waits until stdout contains `text`; false on timeout or if the process exits first.
  bool WaitForStdout(const std::string& text, std::chrono::milliseconds timeout);
  void Signal(int signal_number);
  // The exit code (or 128 + signal), or nullopt if it is still running after `timeout`.
  std::optional<int> Wait(std::chrono::milliseconds timeout);

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::filesystem::path stdout_path_, stderr_path_;
};

struct Completed {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs strongroom with `args` to completion (at most 60 s).
Completed RunStrongroom(const std::vector<std::string>& args, const std::filesystem::path& scratch,
                        const std::vector<std::string>& extra_env = {});

// The environment that runs a process `offset` into the future or past ("+2558d", "-90s") with
// libfaketime (Debian's libfaketime), wall clock only: monotonic time is left alone.
std::vector<std::string> FakeTimeEnv(const std::string& offset);

}  // namespace strongroom::testing
