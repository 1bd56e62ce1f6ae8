// Which of a device's credentials the scheduler may send to the device's current address: the
// rules that keep a tenant administrator from pointing a device at a server of theirs and reading
// a password (README "Threat model"). Checked where credentials are used, on every connection.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace fwhub::domain::upgrade {

// Who pointed the device at where it is now (management_ip, ssh_port, or a host key reset).
struct DeviceTrust {
  std::string organization_id;
  std::string address_set_by;         // user id; "" = unknown (rows from before the rule)
  bool address_by_superuser = false;  // that user was a superuser when they did it
};

// One enabled connection of the device with its credentials.
struct CredentialCandidate {
  std::string connection_id;
  std::optional<std::string> organization_id;  // nullopt: shared
  bool password = false;                       // a password (else a private key, which reveals no secret)
  bool attached_by_superuser = false;          // the connection was added by a superuser (or auto_add)
  std::string secret_set_by;                   // user id who supplied the secret; "" = unknown
};

// Why `candidate` must not be used for the device; nullopt when it may:
//  - credentials of an organization serve only that organization's devices;
//  - shared credentials serve only connections a superuser added, at an address a superuser set;
//  - a password goes only to an address set by a superuser or by the user who supplied that
//    password (who knows it already).
std::optional<std::string> credential_refusal(const DeviceTrust& device, const CredentialCandidate& candidate);

// The first candidate that may be used, else the first one (its refusal says why it is not);
// nullopt when there are none. Candidates come in the order the connections were added.
std::optional<std::size_t> chosen_credential(const DeviceTrust& device,
                                             const std::vector<CredentialCandidate>& candidates);

}  // namespace fwhub::domain::upgrade
