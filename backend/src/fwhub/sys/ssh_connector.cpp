// SSH sessions to devices with libssh: our own TCP connect (its own timeout, keepalive), libssh for
// the handshake, login, commands (non-blocking reads with poll) and SCP uploads.
#include "fwhub/sys/ssh_connector.hpp"

// The SCP API is deprecated in libssh 0.10 in favour of SFTP, which OpenWrt's dropbear lacks.
#define SSH_SUPPRESS_DEPRECATED
#include <libssh/libssh.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "fwhub/common/status.hpp"

namespace fwhub::sys {
namespace {

using domain::upgrade::CommandResult;
using domain::upgrade::SshTarget;
using std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr std::size_t kMaxOutput = std::size_t{4} << 20U;  // per stream of a command; the rest is dropped
constexpr std::size_t kChunk = std::size_t{32} << 10U;     // SCP write size without a rate limit
constexpr auto kPollSlice = 100ms;                         // longest wait before looking at the deadline again
// Dead peers that never close the connection: keepalive probes after 10 s idle, every 5 s, 3 tries.
constexpr int kKeepIdleSeconds = 10;
constexpr int kKeepIntervalSeconds = 5;
constexpr int kKeepCount = 3;

// libssh 0.10 closes a socket handed to it (SSH_OPTIONS_FD) only after a socket error, and then
// forgets it (ssh_get_fd: SSH_INVALID_SOCKET); otherwise the socket is ours to close, after the session.
// The test sessions_close_their_sockets covers both.
struct SessionFree {
  void operator()(ssh_session session) const {
    const socket_t socket = ssh_get_fd(session);
    ssh_disconnect(session);
    ssh_free(session);
    if (socket != SSH_INVALID_SOCKET) {
      close(socket);
    }
  }
};
struct ChannelFree {
  void operator()(ssh_channel channel) const { ssh_channel_free(channel); }
};
struct ScpFree {
  void operator()(ssh_scp scp) const { ssh_scp_free(scp); }
};
struct KeyFree {
  void operator()(ssh_key key) const { ssh_key_free(key); }
};
struct AddrinfoFree {
  void operator()(addrinfo* info) const { freeaddrinfo(info); }
};
using SessionPtr = std::unique_ptr<ssh_session_struct, SessionFree>;
using ChannelPtr = std::unique_ptr<ssh_channel_struct, ChannelFree>;
using ScpPtr = std::unique_ptr<ssh_scp_struct, ScpFree>;
using KeyPtr = std::unique_ptr<ssh_key_struct, KeyFree>;

int milliseconds(std::chrono::steady_clock::duration duration) {
  return static_cast<int>(std::max<std::int64_t>(
      0, std::chrono::duration_cast<std::chrono::milliseconds>(duration + std::chrono::microseconds(999)).count()));
}

void set_option(int fd, int level, int name, int value) {
  // Best effort: without keepalive only a silent dead peer takes longer to notice.
  (void)setsockopt(fd, level, name, &value, sizeof value);
}

// A connected non-blocking TCP socket, trying each address of the host with its own timeout.
int tcp_connect(const SshTarget& target, const std::string& where) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const int resolved = getaddrinfo(target.host.c_str(), std::to_string(target.port).c_str(), &hints, &found);
  if (resolved != 0) {
    throw Error(Code::kUnavailable, where + ": cannot resolve the host: " + gai_strerror(resolved));
  }
  const std::unique_ptr<addrinfo, AddrinfoFree> addresses(found);
  std::string failure;
  for (const addrinfo* address = found; address != nullptr; address = address->ai_next) {
    const int fd =
        socket(address->ai_family, address->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, address->ai_protocol);
    if (fd < 0) {
      failure = std::strerror(errno);
      continue;
    }
    if (::connect(fd, address->ai_addr, address->ai_addrlen) != 0 && errno != EINPROGRESS) {
      failure = std::strerror(errno);
      close(fd);
      continue;
    }
    pollfd waiting{fd, POLLOUT, 0};
    const int ready = poll(&waiting, 1, milliseconds(target.connect_timeout));
    int error = 0;
    socklen_t length = sizeof error;
    if (ready == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0) {
      set_option(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
      set_option(fd, IPPROTO_TCP, TCP_KEEPIDLE, kKeepIdleSeconds);
      set_option(fd, IPPROTO_TCP, TCP_KEEPINTVL, kKeepIntervalSeconds);
      set_option(fd, IPPROTO_TCP, TCP_KEEPCNT, kKeepCount);
      set_option(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, milliseconds(target.command_timeout));
      return fd;
    }
    failure = ready == 0 ? "no answer within " + std::to_string(target.connect_timeout.count()) + " s"
                         : std::strerror(ready < 0 ? errno : error);
    close(fd);
  }
  throw Error(Code::kUnavailable, where + ": cannot connect: " + failure);
}

void set_timeout(ssh_session session, std::chrono::seconds timeout) {
  const long seconds = std::max<long>(1, static_cast<long>(timeout.count()));
  ssh_options_set(session, SSH_OPTIONS_TIMEOUT, &seconds);
}

// The base64 blob of "type base64 [comment]" (or of a bare base64 text).
std::string key_blob(const std::string& text) {
  std::istringstream words(text);
  std::string first;
  std::string second;
  words >> first >> second;
  return second.empty() ? first : second;
}

std::string server_host_key(ssh_session session, const std::string& where) {
  ssh_key raw = nullptr;
  if (ssh_get_server_publickey(session, &raw) != SSH_OK) {
    throw Error(Code::kUnavailable, where + ": no host key: " + ssh_get_error(session));
  }
  const KeyPtr key(raw);
  char* base64 = nullptr;
  if (ssh_pki_export_pubkey_base64(key.get(), &base64) != SSH_OK) {
    throw Error(Code::kInternal, where + ": cannot encode the host key");
  }
  std::string text = std::string(ssh_key_type_to_char(ssh_key_type(key.get()))) + " " + base64;
  ssh_string_free_char(base64);
  return text;
}

void authenticate(ssh_session session, const SshTarget& target, const std::string& where) {
  set_timeout(session, target.auth_timeout);
  int result = SSH_AUTH_ERROR;
  if (!target.private_key.empty()) {
    ssh_key raw = nullptr;
    if (ssh_pki_import_privkey_base64(target.private_key.c_str(), nullptr, nullptr, nullptr, &raw) != SSH_OK) {
      throw Error(Code::kInvalidArgument, where + ": the private key cannot be read (PEM or OpenSSH, unencrypted)");
    }
    const KeyPtr key(raw);
    result = ssh_userauth_publickey(session, nullptr, key.get());
  } else {
    result = ssh_userauth_password(session, nullptr, target.password.c_str());
  }
  if (result == SSH_AUTH_SUCCESS) {
    return;
  }
  if (result == SSH_AUTH_DENIED || result == SSH_AUTH_PARTIAL) {
    throw Error(Code::kUnauthenticated, where + ": the device refused the login of " + target.username);
  }
  throw Error(Code::kUnavailable, where + ": login did not complete: " + ssh_get_error(session));
}

// Back to blocking mode at the end of a scope that switched the session to non-blocking.
class NonBlocking {
 public:
  explicit NonBlocking(ssh_session session) : session_(session) { ssh_set_blocking(session_, 0); }
  ~NonBlocking() { ssh_set_blocking(session_, 1); }
  NonBlocking(const NonBlocking&) = delete;
  NonBlocking& operator=(const NonBlocking&) = delete;

 private:
  ssh_session session_;
};

bool remote_path_ok(const std::string& path) {
  return !path.empty() && path.back() != '/' && std::all_of(path.begin(), path.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || std::strchr("._+/-", c) != nullptr;
  });
}

class SshSession final : public domain::upgrade::DeviceSession {
 public:
  SshSession(SessionPtr session, std::string where, std::string host_key)
      : session_(std::move(session)), where_(std::move(where)), host_key_(std::move(host_key)) {}

  [[nodiscard]] std::string host_key() const override { return host_key_; }

  CommandResult run(const std::string& command, std::chrono::seconds timeout) override {
    const auto deadline = steady_clock::now() + timeout;
    const ChannelPtr channel(ssh_channel_new(session_.get()));
    if (!channel || ssh_channel_open_session(channel.get()) != SSH_OK ||
        ssh_channel_request_exec(channel.get(), command.c_str()) != SSH_OK) {
      throw transport_error("starting '" + command + "'");
    }
    CommandResult result;
    const NonBlocking non_blocking(session_.get());
    for (;;) {
      drain(channel.get(), 0, result.out, command);
      drain(channel.get(), 1, result.err, command);
      if (ssh_channel_is_eof(channel.get()) != 0 || ssh_channel_is_closed(channel.get()) != 0) {
        // Non-blocking: the status if it has arrived, else -1 until the channel closes without one.
        result.exit_status = ssh_channel_get_exit_status(channel.get());
        if (result.exit_status != -1 || ssh_channel_is_closed(channel.get()) != 0) {
          break;
        }
      }
      if (ssh_is_connected(session_.get()) == 0) {
        throw transport_error("running '" + command + "'");
      }
      const auto left = deadline - steady_clock::now();
      if (left <= 0s) {
        throw Error(Code::kDeadlineExceeded,
                    where_ + ": '" + command + "' did not finish within " + std::to_string(timeout.count()) + " s");
      }
      wait_readable(std::min<steady_clock::duration>(left, kPollSlice));
    }
    if (result.exit_status == -1 && ssh_is_connected(session_.get()) == 0) {
      throw transport_error("running '" + command + "'");
    }
    return result;
  }

  void upload(const std::string& local_path, const std::string& remote_path,
              const std::function<void(std::uint64_t)>& progress, std::uint64_t bytes_per_second) override {
    if (!remote_path_ok(remote_path)) {
      throw Error(Code::kInvalidArgument, "remote path not allowed for SCP: '" + remote_path + "'");
    }
    std::error_code error;
    const std::uint64_t size = std::filesystem::file_size(local_path, error);
    std::ifstream in(local_path, std::ios::binary);
    if (error || !in) {
      throw Error(Code::kInternal, "cannot read " + local_path);
    }
    const auto slash = remote_path.rfind('/');
    const std::string directory = slash == std::string::npos ? "." : (slash == 0 ? "/" : remote_path.substr(0, slash));
    const std::string name = slash == std::string::npos ? remote_path : remote_path.substr(slash + 1);
    const std::string what = "uploading " + local_path + " to " + remote_path;

    const ScpPtr scp(ssh_scp_new(session_.get(), SSH_SCP_WRITE, directory.c_str()));
    if (!scp || ssh_scp_init(scp.get()) != SSH_OK ||
        ssh_scp_push_file64(scp.get(), name.c_str(), size, 0644) != SSH_OK) {
      throw transport_error(what);
    }
    // With a rate limit, about 20 writes a second so that the pace is smooth.
    const std::size_t chunk =
        bytes_per_second == 0 ? kChunk : std::clamp<std::size_t>(bytes_per_second / 20, 1024, kChunk);
    std::vector<char> buffer(chunk);
    const auto start = steady_clock::now();
    std::uint64_t sent = 0;
    while (sent < size) {
      const auto length = static_cast<std::size_t>(std::min<std::uint64_t>(chunk, size - sent));
      in.read(buffer.data(), static_cast<std::streamsize>(length));
      if (static_cast<std::size_t>(in.gcount()) != length) {
        throw Error(Code::kInternal, local_path + " shrank while " + what);
      }
      if (ssh_scp_write(scp.get(), buffer.data(), length) != SSH_OK) {
        throw transport_error(what);
      }
      sent += length;
      if (progress) {
        progress(sent);
      }
      if (bytes_per_second != 0) {
        std::this_thread::sleep_until(start + std::chrono::microseconds(sent * 1'000'000 / bytes_per_second));
      }
    }
    if (ssh_scp_close(scp.get()) != SSH_OK) {
      throw transport_error(what);
    }
  }

 private:
  Error transport_error(const std::string& what) const {
    const std::string state = ssh_is_connected(session_.get()) == 0 ? "connection lost while " : "failed ";
    return {Code::kUnavailable, where_ + ": " + state + what + ": " + ssh_get_error(session_.get())};
  }

  void drain(ssh_channel channel, int is_stderr, std::string& into, const std::string& command) {
    std::array<char, 16384> buffer{};
    for (;;) {
      const int read = ssh_channel_read_nonblocking(channel, buffer.data(), buffer.size(), is_stderr);
      if (read == SSH_ERROR) {
        throw transport_error("running '" + command + "'");
      }
      if (read <= 0) {
        return;  // nothing yet (0) or end of stream (SSH_EOF)
      }
      into.append(buffer.data(), std::min(static_cast<std::size_t>(read), kMaxOutput - into.size()));
    }
  }

  void wait_readable(steady_clock::duration limit) {
    pollfd waiting{ssh_get_fd(session_.get()), POLLIN, 0};
    (void)poll(&waiting, 1, milliseconds(limit));  // woken early or not, the caller looks again
  }

  SessionPtr session_;
  std::string where_;
  std::string host_key_;
};

}  // namespace

SshConnector::SshConnector() {
  static std::once_flag initialized;
  std::call_once(initialized, [] { ssh_init(); });
}

std::unique_ptr<domain::upgrade::DeviceSession> SshConnector::connect(const SshTarget& target) {
  const std::string where = target.host + ":" + std::to_string(target.port);
  SessionPtr session(ssh_new());
  if (!session) {
    throw Error(Code::kInternal, "libssh cannot create a session");
  }
  const int no = 0;
  ssh_options_set(session.get(), SSH_OPTIONS_PROCESS_CONFIG, &no);  // no ~/.ssh/config of whoever runs us
  ssh_options_set(session.get(), SSH_OPTIONS_HOST, target.host.c_str());
  ssh_options_set(session.get(), SSH_OPTIONS_PORT, &target.port);
  ssh_options_set(session.get(), SSH_OPTIONS_USER, target.username.c_str());
  set_timeout(session.get(), target.banner_timeout);  // libssh's connect: banner and key exchange
  const socket_t fd = tcp_connect(target, where);
  if (ssh_options_set(session.get(), SSH_OPTIONS_FD, &fd) != SSH_OK) {
    close(fd);
    throw Error(Code::kInternal, where + ": libssh does not take the socket");
  }
  // ssh_connect hands the socket to the session at once; from then on SessionFree closes it.
  if (ssh_connect(session.get()) != SSH_OK) {
    throw Error(Code::kUnavailable, where + ": SSH handshake failed: " + ssh_get_error(session.get()));
  }
  std::string offered = server_host_key(session.get(), where);
  if (!target.pinned_host_key.empty() && key_blob(target.pinned_host_key) != key_blob(offered)) {
    throw Error(Code::kFailedPrecondition, where + ": the device's host key changed (pinned " + target.pinned_host_key +
                                               ", offered " + offered +
                                               "); reset the device's host key if the device was reinstalled");
  }
  authenticate(session.get(), target, where);
  // From now on the bound of libssh's blocking waits that honour the session timeout; TCP keepalive
  // ends the others when the peer goes silent.
  set_timeout(session.get(), target.command_timeout);
  return std::make_unique<SshSession>(std::move(session), where, std::move(offered));
}

}  // namespace fwhub::sys
