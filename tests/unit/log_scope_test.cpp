// Log lines carry the fields of the thread's LogScopes, in text and as JSON lines.
#define BOOST_TEST_MODULE log_scope
#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "fwhub/common/log.hpp"

namespace {

// Logs through init_logging with stderr sent to a file; returns what was written.
template <typename Fn>
std::string logged(const std::string& format, Fn&& log) {
  const auto path = std::filesystem::temp_directory_path() / ("fwhub-log-test-" + std::to_string(::getpid()));
  std::fflush(stderr);
  const int saved = ::dup(2);
  BOOST_REQUIRE(std::freopen(path.c_str(), "w", stderr) != nullptr);
  spdlog::drop_all();
  fwhub::LogConfig config;
  config.format = format;
  fwhub::init_logging(config, "fwhub-test");
  log();
  spdlog::default_logger()->flush();
  std::fflush(stderr);
  ::dup2(saved, 2);
  ::close(saved);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::filesystem::remove(path);
  return text.str();
}

}  // namespace

BOOST_AUTO_TEST_CASE(text_lines_carry_the_scope_fields_while_it_lives) {
  const std::string out = logged("text", [] {
    {
      const fwhub::LogScope job(fwhub::LogFields{{"job", "17"}, {"kind", "upgrade"}});
      const fwhub::LogScope operation("operation", "0f3c");
      spdlog::info("step done");
    }
    spdlog::info("no scope");
    std::thread([] { spdlog::info("other thread"); }).join();
  });
  BOOST_TEST(out.find(" info job=17 kind=upgrade operation=0f3c step done\n") != std::string::npos, out);
  BOOST_TEST(out.find(" info no scope\n") != std::string::npos, out);
  BOOST_TEST(out.find(" info other thread\n") != std::string::npos, out);
}

BOOST_AUTO_TEST_CASE(json_lines_are_objects_with_escaped_fields) {
  const std::string out = logged("json", [] {
    const fwhub::LogScope request("request", "ab\"c");
    spdlog::warn("say \"hi\"\n\tnow");
  });
  BOOST_TEST(out.find(R"("program":"fwhub-test")") != std::string::npos, out);
  BOOST_TEST(out.find(R"("level":"warning","request":"ab\"c","message":"say \"hi\"\n\tnow"})"
                      "\n") != std::string::npos,
             out);
  BOOST_TEST(out.starts_with(R"({"time":")"), out);
}
