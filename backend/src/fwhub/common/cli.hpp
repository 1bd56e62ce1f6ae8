// Command-line handling shared by the three programs: --config PATH (or $FWHUB_CONFIG).
#pragma once

#include <string>
#include <vector>

namespace fwhub {

struct CommandLine {
  std::string config_path;        // --config, else $FWHUB_CONFIG, else /etc/fwhub/fwhub.toml
  std::vector<std::string> args;  // everything else, in order
};

CommandLine parse_command_line(int argc, char** argv);

}  // namespace fwhub
