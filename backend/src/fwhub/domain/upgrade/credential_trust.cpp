// The credential rules, in the order their messages are most useful to an operator.
#include "fwhub/domain/upgrade/credential_trust.hpp"

namespace fwhub::domain::upgrade {

std::optional<std::string> credential_refusal(const DeviceTrust& device, const CredentialCandidate& candidate) {
  if (candidate.organization_id && *candidate.organization_id != device.organization_id) {
    return "Credentials not used: they belong to another organization than the device.";
  }
  if (!candidate.organization_id && !candidate.attached_by_superuser) {
    return "Shared credentials not used: only a superuser may add them to a device; a superuser has to add this "
           "connection again.";
  }
  if (!candidate.organization_id && !device.address_by_superuser) {
    return "Shared credentials not used: the device's address was not set by a superuser; a superuser has to "
           "confirm it (PATCH the device with \"confirm_address_change\": true).";
  }
  if (candidate.password && !device.address_by_superuser &&
      (candidate.secret_set_by.empty() || candidate.secret_set_by != device.address_set_by)) {
    return "Password not sent: the device's address was set by neither a superuser nor the user who set this "
           "password; one of them has to confirm it (PATCH the device with \"confirm_address_change\": true), or "
           "use key credentials.";
  }
  return std::nullopt;
}

std::optional<std::size_t> chosen_credential(const DeviceTrust& device,
                                             const std::vector<CredentialCandidate>& candidates) {
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (!credential_refusal(device, candidates[i])) {
      return i;
    }
  }
  return candidates.empty() ? std::nullopt : std::optional<std::size_t>(0);
}

}  // namespace fwhub::domain::upgrade
