// A TCP proxy in front of a test database that acts on the next COMMIT a client sends, once armed:
// arm_cut() cuts the connection (the server never sees COMMIT and rolls back, the client loses the
// link at COMMIT); arm_before(hook) runs the hook first (e.g. another Galera node's write of the same
// row, committed) and then forwards COMMIT, which the server then judges.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>

namespace fwhub::testing {

class CommitProxy {
 public:
  CommitProxy(const std::string& host, int port) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||  // NOLINT
        ::listen(listener_, 16) != 0) {
      throw std::runtime_error("proxy: cannot listen");
    }
    socklen_t length = sizeof(address);
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);  // NOLINT
    port_ = ntohs(address.sin_port);
    upstream_.sin_family = AF_INET;
    upstream_.sin_port = htons(static_cast<std::uint16_t>(port));
    ::inet_pton(AF_INET, host.c_str(), &upstream_.sin_addr);
    thread_ = std::thread([this] { serve(); });
  }
  ~CommitProxy() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    thread_.join();
    ::close(listener_);
  }
  CommitProxy(const CommitProxy&) = delete;
  CommitProxy& operator=(const CommitProxy&) = delete;

  [[nodiscard]] int port() const { return port_; }
  // From now on the next COMMIT a client sends cuts its connection (once).
  void arm_cut() {
    hook_ = nullptr;
    armed_ = true;
  }
  // From now on the next COMMIT a client sends waits for `hook` to return, then goes on (once).
  void arm_before(std::function<void()> hook) {
    hook_ = std::move(hook);
    armed_ = true;
  }
  // COMMITs cut, and COMMITs held for a hook.
  [[nodiscard]] int cuts() const { return cuts_.load(); }
  [[nodiscard]] int holds() const { return holds_.load(); }

 private:
  // One client at a time (a test's connection), bytes relayed until either side closes.
  void serve() {
    while (!stopping_) {
      const int client = ::accept(listener_, nullptr, nullptr);
      if (client < 0) {
        return;
      }
      const int server = ::socket(AF_INET, SOCK_STREAM, 0);
      if (::connect(server, reinterpret_cast<const sockaddr*>(&upstream_), sizeof(upstream_)) == 0) {  // NOLINT
        relay(client, server);
      }
      ::close(server);
      ::close(client);
    }
  }

  void relay(int client, int server) {
    std::string pending;  // client bytes not yet forwarded: whole packets are looked at first
    std::array<char, 65536> buffer{};
    for (;;) {
      std::array<pollfd, 2> fds{{{client, POLLIN, 0}, {server, POLLIN, 0}}};
      if (::poll(fds.data(), fds.size(), 200) < 0 || stopping_) {
        return;
      }
      if ((fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
        const ssize_t got = ::recv(server, buffer.data(), buffer.size(), 0);
        if (got <= 0 || !send_all(client, std::string(buffer.data(), static_cast<std::size_t>(got)))) {
          return;
        }
      }
      if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
        const ssize_t got = ::recv(client, buffer.data(), buffer.size(), 0);
        if (got <= 0) {
          return;
        }
        pending.append(buffer.data(), static_cast<std::size_t>(got));
        // A MySQL packet: 3 bytes length (little endian), 1 byte sequence, then the payload.
        while (pending.size() >= 4) {
          const auto byte = [&pending](std::size_t i) { return static_cast<unsigned char>(pending[i]); };
          const std::size_t length = byte(0) | (byte(1) << 8U) | (byte(2) << 16U);
          if (pending.size() < 4 + length) {
            break;
          }
          const std::string payload = pending.substr(4, length);
          if (armed_ && is_commit(payload)) {
            armed_ = false;
            if (!hook_) {
              ++cuts_;
              return;  // both sockets close: the server never receives the COMMIT
            }
            hook_();
            ++holds_;
          }
          if (!send_all(server, pending.substr(0, 4 + length))) {
            return;
          }
          pending.erase(0, 4 + length);
        }
      }
    }
  }

  // COM_QUERY (0x03) whose text is COMMIT in any case.
  static bool is_commit(const std::string& payload) {
    if (payload.empty() || payload[0] != 0x03) {
      return false;
    }
    std::string text = payload.substr(1);
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return text == "COMMIT";
  }

  static bool send_all(int fd, const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t sent = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (sent <= 0) {
        return false;
      }
      done += static_cast<std::size_t>(sent);
    }
    return true;
  }

  int listener_ = -1;
  int port_ = 0;
  sockaddr_in upstream_{};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> armed_{false};
  std::atomic<int> cuts_{0};
  std::atomic<int> holds_{0};
  std::function<void()> hook_;  // set before armed_, read by the relay thread after it
  std::thread thread_;
};

}  // namespace fwhub::testing
