// Creation of the listening socket the FastCGI workers share.
#include "fwhub/sys/listen_socket.hpp"

#include <netdb.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "fwhub/common/status.hpp"

namespace fwhub::sys {
namespace {

constexpr int kBacklog = 1024;

[[noreturn]] void fail(const std::string& spec, const std::string& what) {
  throw Error(Code::kUnavailable, "listen " + spec + ": " + what + ": " + std::strerror(errno));
}

int open_unix(const std::string& spec, const std::string& path, const std::string& mode) {
  sockaddr_un address{};
  if (path.empty() || path.size() >= sizeof(address.sun_path)) {
    throw Error(Code::kInvalidArgument, "listen " + spec + ": bad socket path");
  }
  address.sun_family = AF_UNIX;
  std::memcpy(static_cast<char*>(address.sun_path), path.c_str(), path.size() + 1);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    fail(spec, "socket");
  }
  ::unlink(path.c_str());
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {  // NOLINT
    fail(spec, "bind");
  }
  if (::chmod(path.c_str(), static_cast<mode_t>(std::stoul(mode, nullptr, 8))) != 0) {
    fail(spec, "chmod");
  }
  return fd;
}

int open_tcp(const std::string& spec) {
  const auto colon = spec.rfind(':');
  if (colon == std::string::npos) {
    throw Error(Code::kInvalidArgument, "listen " + spec + ": expected unix:/path, host:port or inherit");
  }
  std::string host = spec.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string port = spec.substr(colon + 1);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (const int rc = ::getaddrinfo(host.empty() ? nullptr : host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    throw Error(Code::kInvalidArgument, "listen " + spec + ": " + ::gai_strerror(rc));
  }
  const int fd = ::socket(found->ai_family, found->ai_socktype | SOCK_CLOEXEC, found->ai_protocol);
  if (fd < 0) {
    ::freeaddrinfo(found);
    fail(spec, "socket");
  }
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  const int rc = ::bind(fd, found->ai_addr, found->ai_addrlen);
  ::freeaddrinfo(found);
  if (rc != 0) {
    fail(spec, "bind");
  }
  return fd;
}

}  // namespace

int open_listen_socket(const std::string& spec, const std::string& mode) {
  if (spec == "inherit") {
    int type = 0;
    socklen_t length = sizeof(type);
    if (::getsockopt(0, SOL_SOCKET, SO_TYPE, &type, &length) != 0 || type != SOCK_STREAM) {
      throw Error(Code::kInvalidArgument, "listen inherit: fd 0 is not a listening stream socket");
    }
    return 0;
  }
  const int fd = spec.starts_with("unix:") ? open_unix(spec, spec.substr(5), mode) : open_tcp(spec);
  if (::listen(fd, kBacklog) != 0) {
    fail(spec, "listen");
  }
  return fd;
}

}  // namespace fwhub::sys
