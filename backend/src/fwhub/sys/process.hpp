// Child processes with captured output, a hard timeout that kills the whole process group, and
// an optional bubblewrap sandbox.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace fwhub::sys {

struct ProcessOptions {
  std::vector<std::string> argv;
  std::string cwd;               // "" = inherit
  std::vector<std::string> env;  // "KEY=VALUE"; empty = inherit
  std::chrono::seconds timeout{600};
  std::size_t max_output = std::size_t{4} << 20U;  // per stream; the rest is dropped
};

struct ProcessResult {
  int exit_code = -1;  // -1 when killed
  bool timed_out = false;
  std::string out;
  std::string err;
};

// Runs the process in a session of its own; on timeout the whole group is killed (SIGKILL), and
// whatever it left running is killed when it exits. Throws Error(kInternal) if it cannot start.
ProcessResult run_process(const ProcessOptions& options);

// argv that runs `argv` inside bubblewrap: the system read-only, `writable` read-write, a private
// /tmp, /proc and /dev, its own PID/IPC/UTS namespaces, as user nobody; the network is kept
// (the ImageBuilder downloads package indexes).
std::vector<std::string> sandboxed(const std::vector<std::string>& argv, const std::vector<std::string>& writable,
                                   const std::string& cwd);

}  // namespace fwhub::sys
