// database.hosts: a connection uses the first listed server that accepts it, and says which
// servers failed when none does.
#define BOOST_TEST_MODULE failover
#include <boost/test/unit_test.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "support/test_database.hpp"

using namespace fwhub;
using fwhub::testing::TestDatabase;

namespace {

// A loopback port where nothing listens (bound and closed again).
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));  // NOLINT
  socklen_t length = sizeof(address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);  // NOLINT
  ::close(fd);
  return ntohs(address.sin_port);
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_dead_first_host_is_passed_over) {
  TestDatabase database;
  DatabaseConfig config = database.config();
  const std::string dead = "127.0.0.1:" + std::to_string(closed_port());
  config.hosts = {dead, config.host + ":" + std::to_string(config.port)};
  db::Connection connection(config);
  std::unique_ptr<sql::Statement> statement(connection.get().createStatement());
  std::unique_ptr<sql::ResultSet> rows(statement->executeQuery("SELECT DATABASE()"));
  BOOST_REQUIRE(rows->next());
  BOOST_TEST(std::string(rows->getString(1)) == config.name);
}

BOOST_AUTO_TEST_CASE(no_host_serving_is_unavailable_naming_each) {
  db::init_driver();
  DatabaseConfig config;
  const std::string first = "127.0.0.1:" + std::to_string(closed_port());
  const std::string second = "127.0.0.1:" + std::to_string(closed_port());
  config.hosts = {first, second};
  db::Connection connection(config);
  try {
    connection.get();
    BOOST_FAIL("connected to nothing");
  } catch (const Error& error) {
    BOOST_TEST(static_cast<int>(error.code()) == static_cast<int>(Code::kUnavailable));
    const std::string message = error.what();
    BOOST_TEST(message.find(first) != std::string::npos, message);
    BOOST_TEST(message.find(second) != std::string::npos, message);
  }
}
