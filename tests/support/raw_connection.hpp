// Plain TCP connections to the stack's nginx, for requests httplib cannot make (cut, trickled or
// with bytes a client library would refuse to send).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <boost/test/unit_test.hpp>

namespace fwhub::testing {

// A plain TCP connection to the stack's nginx, for uploads httplib cannot make (cut or trickled).
// `source`: the client address, any of 127.0.0.0/8 (nginx's per-address limits count by it).
inline int connect_to_stack(const std::string& source = "") {
  const char* url = std::getenv("FWHUB_TEST_URL");
  if (url == nullptr) {
    throw std::runtime_error("FWHUB_TEST_URL is not set");
  }
  const std::string text(url);
  const int port = std::stoi(text.substr(text.rfind(':') + 1));
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (!source.empty()) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    BOOST_REQUIRE(::inet_pton(AF_INET, source.c_str(), &local.sin_addr) == 1);
    BOOST_REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof(local)) == 0);  // NOLINT
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  BOOST_REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);  // NOLINT
  return fd;
}

// Sends all of `bytes`; false when the connection failed.
inline bool send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t sent = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent <= 0) {
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

// Everything the server sends until it closes the connection (at most 30 s of silence).
inline std::string read_until_closed(int fd) {
  timeval timeout{};
  timeout.tv_sec = 30;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  std::string out;
  std::array<char, 4096> buffer{};
  for (;;) {
    const ssize_t got = ::recv(fd, buffer.data(), buffer.size(), 0);
    if (got <= 0) {
      return out;
    }
    out.append(buffer.data(), static_cast<std::size_t>(got));
  }
}

// One HTTP response read off a raw connection.
struct RawResponse {
  int status = 0;  // 0: none (yet)
  std::string head;
  std::string body;

  // A header's value (the name in any case); nullopt when absent.
  [[nodiscard]] std::optional<std::string> header(std::string_view name) const {
    std::size_t at = head.find("\r\n");
    while (at != std::string::npos && at + 2 < head.size()) {
      const std::size_t end = head.find("\r\n", at + 2);
      const std::string_view line = std::string_view(head).substr(at + 2, end - at - 2);
      const std::size_t colon = line.find(':');
      if (colon == name.size() && ::strncasecmp(line.data(), name.data(), name.size()) == 0) {
        std::string_view value = line.substr(colon + 1);
        value.remove_prefix(std::min(value.find_first_not_of(' '), value.size()));
        return std::string(value);
      }
      at = end;
    }
    return std::nullopt;
  }
};

// Collects one response (head and Content-Length body) from bytes as they arrive.
class ResponseReader {
 public:
  // Reads what the connection has within `wait` (0: only what is there); true once the response
  // is complete. A closed connection ends it too (`closed()`).
  bool poll_from(int fd, std::chrono::milliseconds wait) {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    while (!complete() && !closed_) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      pollfd entry{fd, POLLIN, 0};
      if (::poll(&entry, 1, static_cast<int>(std::max<std::int64_t>(left.count(), 0))) <= 0) {
        break;
      }
      std::array<char, 16384> buffer{};
      const ssize_t got = ::recv(fd, buffer.data(), buffer.size(), 0);
      if (got <= 0) {
        closed_ = true;
        break;
      }
      data_.append(buffer.data(), static_cast<std::size_t>(got));
    }
    return complete();
  }

  [[nodiscard]] bool complete() const {
    const std::size_t end = data_.find("\r\n\r\n");
    if (end == std::string::npos) {
      return false;
    }
    RawResponse parsed = split(end);
    const auto length = parsed.header("Content-Length");
    return !length || data_.size() >= end + 4 + std::stoul(*length);
  }

  [[nodiscard]] bool closed() const { return closed_; }

  // The response; status 0 while it is incomplete.
  [[nodiscard]] RawResponse response() const {
    if (!complete()) {
      return {};
    }
    RawResponse parsed = split(data_.find("\r\n\r\n"));
    if (const auto length = parsed.header("Content-Length")) {
      parsed.body.resize(std::stoul(*length));
    }
    return parsed;
  }

 private:
  [[nodiscard]] RawResponse split(std::size_t end) const {
    RawResponse parsed;
    parsed.head = data_.substr(0, end + 2);
    parsed.body = data_.substr(end + 4);
    if (parsed.head.starts_with("HTTP/1.") && parsed.head.size() > 12) {
      parsed.status = std::stoi(parsed.head.substr(9, 3));
    }
    return parsed;
  }

  std::string data_;
  bool closed_ = false;
};

// One response within `wait`; status 0 when none came in time.
inline RawResponse read_response(int fd, std::chrono::milliseconds wait) {
  ResponseReader reader;
  reader.poll_from(fd, wait);
  return reader.response();
}

}  // namespace fwhub::testing
