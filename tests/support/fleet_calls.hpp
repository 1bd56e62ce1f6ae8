// Shared by the fleet functional tests: JSON bodies, and fwhub-admin runs that must succeed.
#pragma once

#include <rapidjson/document.h>
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <string>

#include "support/stack_client.hpp"

namespace fwhub::testing {

// The body as JSON; the test stops when it is not JSON.
inline rapidjson::Document json(const std::string& body) {
  rapidjson::Document document;
  document.Parse(body.c_str());
  BOOST_REQUIRE_MESSAGE(!document.HasParseError(), "not JSON: " << body);
  return document;
}

// A string value, or "" for anything else.
inline std::string str(const rapidjson::Value& value) {
  return value.IsString() ? std::string(value.GetString(), value.GetStringLength()) : "";
}

// Runs fwhub-admin against the stack (`password` reaches create-user through FWHUB_PASSWORD);
// the test stops unless it succeeds. Returns the first line of its output. Passwords and tokens
// go to the run's list of secrets that no log may contain.
inline std::string admin_line(const std::string& args, const std::string& password = "") {
  const Stack stack;
  ::setenv("FWHUB_PASSWORD", password.c_str(), 1);
  stack.remember_secret(password);
  const auto [status, output] = stack.admin(args);
  BOOST_REQUIRE_MESSAGE(status == 0, args << ": " << output);
  std::string line = output.substr(0, output.find('\n'));
  if (args.starts_with("create-token ")) {
    stack.remember_secret(line);
  }
  return line;
}

}  // namespace fwhub::testing
