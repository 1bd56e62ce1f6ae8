// fork/exec with pipes, poll and process-group kill.
#include "fwhub/sys/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "fwhub/common/status.hpp"

namespace fwhub::sys {
namespace {

[[noreturn]] void exec_child(const ProcessOptions& options, int out, int err) {
  ::setsid();
  ::dup2(out, STDOUT_FILENO);
  ::dup2(err, STDERR_FILENO);
  const int null = ::open("/dev/null", O_RDONLY);
  ::dup2(null, STDIN_FILENO);
  if (!options.cwd.empty() && ::chdir(options.cwd.c_str()) != 0) {
    ::_exit(126);
  }
  std::vector<char*> argv;
  for (const auto& word : options.argv) {
    argv.push_back(const_cast<char*>(word.c_str()));  // NOLINT: execvp's signature
  }
  argv.push_back(nullptr);
  if (!options.env.empty()) {
    std::vector<char*> env;
    for (const auto& entry : options.env) {
      env.push_back(const_cast<char*>(entry.c_str()));  // NOLINT: execvpe's signature
    }
    env.push_back(nullptr);
    ::execvpe(argv[0], argv.data(), env.data());
  } else {
    ::execvp(argv[0], argv.data());
  }
  ::_exit(127);
}

}  // namespace

ProcessResult run_process(const ProcessOptions& options) {
  std::array<int, 2> out{};
  std::array<int, 2> err{};
  if (::pipe2(out.data(), O_CLOEXEC) != 0 || ::pipe2(err.data(), O_CLOEXEC) != 0) {
    throw Error(Code::kInternal, std::string("pipe: ") + std::strerror(errno));
  }
  const pid_t pid = ::fork();
  if (pid < 0) {
    throw Error(Code::kInternal, std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    exec_child(options, out[1], err[1]);
  }
  ::close(out[1]);
  ::close(err[1]);
  ProcessResult result;
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  std::array<pollfd, 2> fds = {{{out[0], POLLIN, 0}, {err[0], POLLIN, 0}}};
  std::array<std::string*, 2> sinks = {&result.out, &result.err};
  int open_streams = 2;
  std::array<char, 65536> buffer{};
  while (open_streams > 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      ::kill(-pid, SIGKILL);
      break;
    }
    if (::poll(fds.data(), fds.size(), static_cast<int>(std::min<long>(left.count(), 1000))) < 0 && errno != EINTR) {
      break;
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds.at(i).fd < 0 || (fds.at(i).revents & (POLLIN | POLLHUP | POLLERR)) == 0) {
        continue;
      }
      const ssize_t got = ::read(fds.at(i).fd, buffer.data(), buffer.size());
      if (got <= 0) {
        ::close(fds.at(i).fd);
        fds.at(i).fd = -1;
        --open_streams;
        continue;
      }
      std::string& sink = *sinks.at(i);
      if (sink.size() < options.max_output) {
        sink.append(buffer.data(), std::min(static_cast<std::size_t>(got), options.max_output - sink.size()));
      }
    }
  }
  for (auto& fd : fds) {
    if (fd.fd >= 0) {
      ::close(fd.fd);
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::kill(-pid, SIGKILL);  // anything the process left behind in its session
  if (!result.timed_out && WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  }
  return result;
}

std::vector<std::string> sandboxed(const std::vector<std::string>& argv, const std::vector<std::string>& writable,
                                   const std::string& cwd) {
  // Only the system's programs and libraries, read-only; no state, no home, no secrets.
  std::vector<std::string> out = {"bwrap",         "--ro-bind",
                                  "/usr",          "/usr",
                                  "--ro-bind-try", "/bin",
                                  "/bin",          "--ro-bind-try",
                                  "/sbin",         "/sbin",
                                  "--ro-bind-try", "/lib",
                                  "/lib",          "--ro-bind-try",
                                  "/lib64",        "/lib64",
                                  "--ro-bind",     "/etc",
                                  "/etc",          "--tmpfs",
                                  "/tmp",          "--proc",
                                  "/proc",         "--dev",
                                  "/dev",          "--unshare-user",
                                  "--uid",         "65534",
                                  "--gid",         "65534",
                                  "--unshare-pid", "--unshare-ipc",
                                  "--unshare-uts", "--die-with-parent",
                                  "--new-session"};
  if (::access("/etc/fwhub", F_OK) == 0) {
    out.insert(out.end(), {"--tmpfs", "/etc/fwhub"});  // the server's configuration and secrets
  }
  for (const auto& path : writable) {
    out.insert(out.end(), {"--bind", path, path});
  }
  out.insert(out.end(), {"--chdir", cwd});
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

}  // namespace fwhub::sys
