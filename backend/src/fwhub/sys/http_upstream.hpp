// The upstream download server over HTTP(S) with cpp-httplib: conditional GETs, timeouts and a
// couple of quick retries for transient failures.
#pragma once

#include <string>

#include "fwhub/domain/catalog/ports.hpp"

namespace fwhub::sys {

class HttpUpstream final : public domain::catalog::Upstream {
 public:
  // base_url: "https://downloads.openwrt.org" or "http://127.0.0.1:8081/mirror".
  HttpUpstream(const std::string& base_url, int timeout_seconds);

  domain::catalog::Fetched fetch(const std::string& path, const domain::catalog::Validators& validators) override;
  [[nodiscard]] std::string url(const std::string& path) const override;

  [[nodiscard]] long bytes_received() const { return bytes_received_; }

 private:
  std::string origin_;  // scheme://host[:port]
  std::string prefix_;  // path below the origin, without a trailing '/'
  int timeout_seconds_;
  long bytes_received_ = 0;
};

}  // namespace fwhub::sys
