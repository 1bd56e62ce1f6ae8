// Plain TCP connections to the stack's nginx, for requests httplib cannot make (cut, trickled or
// with bytes a client library would refuse to send).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

#include <boost/test/unit_test.hpp>

namespace fwhub::testing {

// A plain TCP connection to the stack's nginx, for uploads httplib cannot make (cut or trickled).
inline int connect_to_stack() {
  const char* url = std::getenv("FWHUB_TEST_URL");
  if (url == nullptr) {
    throw std::runtime_error("FWHUB_TEST_URL is not set");
  }
  const std::string text(url);
  const int port = std::stoi(text.substr(text.rfind(':') + 1));
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
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

}  // namespace fwhub::testing
