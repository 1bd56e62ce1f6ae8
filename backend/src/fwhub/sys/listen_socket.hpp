// The API's listening socket: a unix path, a TCP host:port, or fd 0 inherited from systemd.
#pragma once

#include <string>

namespace fwhub::sys {

// spec: "unix:/run/fwhub/api.sock", "127.0.0.1:9000", "[::1]:9000" or "inherit".
// mode: octal permissions for a unix socket ("0660"). Throws Error on failure.
int open_listen_socket(const std::string& spec, const std::string& mode);

}  // namespace fwhub::sys
