// The upgrade engine's port to a device's shell: an SSH session that runs commands and uploads
// files (sys::SshConnector with libssh; fakes in tests).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace fwhub::domain::upgrade {

// Where and how to log in. One of password / private_key is set (the key wins when both are).
struct SshTarget {
  std::string host;  // name or address
  int port = 22;
  std::string username;
  std::string password;
  std::string private_key;                  // PEM or OpenSSH text of an unencrypted key
  std::string pinned_host_key;              // "ssh-ed25519 AAAA…" (or just the base64); "" = trust on first use
  std::chrono::seconds connect_timeout{5};  // TCP connect, per address
  std::chrono::seconds auth_timeout{2};     // authentication
  std::chrono::seconds banner_timeout{60};  // from TCP connected to key exchange done
  // After login: the bound of libssh's own waits (channel open, SCP steps) and of unacknowledged
  // data on the socket. Commands take their own timeout in run().
  std::chrono::seconds command_timeout{30};
};

struct CommandResult {
  int exit_status = -1;  // -1: the command ended without one (killed by a signal)
  std::string out;
  std::string err;
};

// One logged-in SSH connection. Not thread-safe: one thread uses a session at a time; sessions
// are independent of each other. Failures throw fwhub::Error:
//   kUnavailable       the connection failed or dropped (recoverable: try again later)
//   kDeadlineExceeded  a command outlived its timeout (its channel is closed; the session stays usable)
//   kInvalidArgument   a remote path that would need shell quoting
//   kInternal          the local file of an upload cannot be read
class DeviceSession {
 public:
  virtual ~DeviceSession() = default;
  // The server's public host key, "ssh-ed25519 AAAA…": what a caller pins after a first use.
  [[nodiscard]] virtual std::string host_key() const = 0;
  // Runs `command` through the device's shell; a non-zero exit status is a result, not an error.
  virtual CommandResult run(const std::string& command, std::chrono::seconds timeout) = 0;
  // SCP upload (OpenWrt's dropbear has no SFTP): streams the local file in chunks, calls
  // progress(bytes_sent) after each one; bytes_per_second 0 = unlimited. remote_path is absolute
  // or relative to the login directory, made of [A-Za-z0-9._+/-] only.
  virtual void upload(const std::string& local_path, const std::string& remote_path,
                      const std::function<void(std::uint64_t)>& progress, std::uint64_t bytes_per_second) = 0;
};

class DeviceConnector {
 public:
  virtual ~DeviceConnector() = default;
  // Connects, checks the host key against the pin and logs in. Throws fwhub::Error:
  //   kUnavailable         cannot connect, timeout, connection dropped
  //   kUnauthenticated     the device refused the credentials
  //   kFailedPrecondition  the host key differs from the pinned one (message says how to reset it)
  //   kInvalidArgument     the private key cannot be read
  virtual std::unique_ptr<DeviceSession> connect(const SshTarget& target) = 0;
};

}  // namespace fwhub::domain::upgrade
