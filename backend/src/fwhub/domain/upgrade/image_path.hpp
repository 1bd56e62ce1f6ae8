// Where an upgrade puts the image on the device.
#pragma once

#include <string>
#include <string_view>

namespace fwhub::domain::upgrade {

// /tmp/<the image's file name>, with every byte other than letters, digits and `._+-` written as
// `_`: the path goes into SCP and shell commands on the device, where a browser's "image (1).bin"
// would be split and a `;` or `$(...)` would run.
std::string image_path_on_device(std::string_view file_name);

}  // namespace fwhub::domain::upgrade
