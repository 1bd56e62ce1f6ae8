// Parsing of the shared command-line options.
#include "fwhub/common/cli.hpp"

#include <cstdlib>

#include "fwhub/common/status.hpp"

namespace fwhub {

CommandLine parse_command_line(int argc, char** argv) {
  CommandLine line;
  const char* from_env = std::getenv("FWHUB_CONFIG");
  line.config_path = from_env != nullptr ? from_env : "/etc/fwhub/fwhub.toml";
  const std::vector<std::string> words(argv + 1, argv + argc);  // NOLINT
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (words[i] == "--config") {
      if (i + 1 >= words.size()) {
        throw Error(Code::kInvalidArgument, "--config needs a path");
      }
      line.config_path = words[++i];
    } else if (words[i].starts_with("--config=")) {
      line.config_path = words[i].substr(9);
    } else {
      line.args.push_back(words[i]);
    }
  }
  return line;
}

}  // namespace fwhub
