// SSH to OpenWrt devices with libssh: timeouts for every phase, host key pinning, password or key
// login, commands with a deadline and SCP uploads streamed from disk with a rate limit.
#pragma once

#include <memory>

#include "fwhub/domain/upgrade/device_session.hpp"

namespace fwhub::sys {

// Stateless; connect() may be called from several threads at once (each gets its own session).
class SshConnector final : public domain::upgrade::DeviceConnector {
 public:
  SshConnector();  // initializes libssh once per process

  std::unique_ptr<domain::upgrade::DeviceSession> connect(const domain::upgrade::SshTarget& target) override;
};

}  // namespace fwhub::sys
