// On a real 3-node Galera cluster (tests/scaleout/galera.sh): a COMMIT that loses certification to
// another node's write (error 1213) is reported by db::Transaction, a claim whose COMMIT lost is not
// a claim, and three migrators on three nodes apply each migration once (the lock row; GET_LOCK()
// would lock one node only). FWHUB_TEST_GALERA_HOSTS lists the nodes as "host:port,...";
// FWHUB_TEST_DB_HOST/_PORT name node 1, FWHUB_TEST_DB_USER/_PASSWORD an account of the cluster.
#define BOOST_TEST_MODULE galera_commit
#include <boost/test/unit_test.hpp>

#include <cppconn/exception.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "fwhub/common/random.hpp"
#include "fwhub/db/job_repository.hpp"
#include "support/commit_proxy.hpp"
#include "support/test_database.hpp"

using namespace fwhub;
using namespace std::chrono_literals;
using fwhub::testing::TestDatabase;

namespace {

std::vector<DatabaseEndpoint> galera_nodes() {
  DatabaseConfig listed;
  std::stringstream hosts(testing::env_or("FWHUB_TEST_GALERA_HOSTS", ""));
  for (std::string host; std::getline(hosts, host, ',');) {
    listed.hosts.push_back(host);
  }
  return database_endpoints(listed);
}

struct Cluster {
  TestDatabase database;  // created on node 1, replicated to the others
  std::vector<DatabaseEndpoint> nodes = galera_nodes();

  Cluster() { BOOST_REQUIRE_MESSAGE(nodes.size() == 3, "FWHUB_TEST_GALERA_HOSTS must name three nodes"); }

  // The test database's settings on node `index` (0-based), once the schema reached that node.
  DatabaseConfig on_node(std::size_t index) {
    DatabaseConfig config = database.config();
    config.host = nodes.at(index).host;
    config.port = nodes.at(index).port;
    for (int i = 0; i < 100; ++i) {
      try {
        db::Connection probe(config);
        probe.get();
        return config;
      } catch (const std::exception&) {  // the CREATE DATABASE is still on its way to that node
        std::this_thread::sleep_for(100ms);
      }
    }
    BOOST_FAIL("the test database did not reach node " + std::to_string(index + 1));
    return config;
  }

  // One statement in autocommit on node `index`, after the node applied every write the cluster
  // ordered before it (wsrep_sync_wait: otherwise the row written on node 1 may not be there yet);
  // the rows it changed.
  int execute_on(std::size_t index, const std::string& sql) {
    db::Connection connection(on_node(index));
    std::unique_ptr<sql::Statement> statement(connection.get().createStatement());
    statement->execute("SET SESSION wsrep_sync_wait = 15");
    return statement->executeUpdate(sql);
  }

  // The first column of the first row on node `index`, after the node applied every write
  // the cluster ordered before it (wsrep_sync_wait).
  std::string scalar_on(std::size_t index, const std::string& sql) {
    db::Connection connection(on_node(index));
    std::unique_ptr<sql::Statement> statement(connection.get().createStatement());
    statement->execute("SET SESSION wsrep_sync_wait = 1");
    std::unique_ptr<sql::ResultSet> rows(statement->executeQuery(sql));
    return rows->next() ? std::string(rows->getString(1)) : "";
  }
};

bool unavailable(const Error& error) {
  return error.code() == Code::kUnavailable;
}

struct TempDir {
  std::filesystem::path path = std::filesystem::temp_directory_path() / ("fwhub-galera-" + random_hex(6));
  TempDir() { std::filesystem::create_directories(path); }
  ~TempDir() { std::filesystem::remove_all(path); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  void write(const std::string& name, const std::string& text) const { std::ofstream(path / name) << text; }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(a_commit_that_loses_certification_to_another_node_is_unavailable, Cluster) {
  database.migrate();
  db::Connection first(on_node(0));
  db::JobRepository queue(first);
  domain::NewJob job;
  job.kind = "a";
  const auto id = std::to_string(queue.enqueue(job).value());
  int changed_on_node2 = 0;
  BOOST_CHECK_EXCEPTION(
      db::with_connection(first,
                          [&](db::Connection& c) {
                            db::Transaction transaction(c);
                            c.prepare("UPDATE jobs SET payload = '{\"node\":1}' WHERE id = " + id)->executeUpdate();
                            // Node 2 changes the same row and commits first.
                            changed_on_node2 =
                                execute_on(1, "UPDATE jobs SET payload = '{\"node\":2}' WHERE id = " + id);
                            transaction.commit();
                          }),
      Error, unavailable);
  BOOST_TEST(changed_on_node2 == 1);
  BOOST_TEST(scalar_on(0, "SELECT payload FROM jobs WHERE id = " + id) == "{\"node\":2}");
  BOOST_TEST(scalar_on(2, "SELECT payload FROM jobs WHERE id = " + id) == "{\"node\":2}");
  // The connection goes on: the next transaction on node 1 commits.
  db::with_connection(first, [&](db::Connection& c) {
    db::Transaction transaction(c);
    c.prepare("UPDATE jobs SET payload = '{\"node\":1}' WHERE id = " + id)->executeUpdate();
    transaction.commit();
  });
  BOOST_TEST(scalar_on(1, "SELECT payload FROM jobs WHERE id = " + id) == "{\"node\":1}");
}

BOOST_FIXTURE_TEST_CASE(a_claim_whose_commit_loses_to_another_node_is_not_a_claim, Cluster) {
  database.migrate();
  const DatabaseConfig node1 = on_node(0);
  db::Connection direct(node1);
  db::JobRepository queue(direct);
  domain::NewJob job;
  job.kind = "a";
  const auto id = queue.enqueue(job).value();

  // The claim on node 1 selected and updated the job; before its COMMIT reaches node 1, a
  // scheduler on node 2 claims the same job and commits: node 1's COMMIT fails certification.
  testing::CommitProxy proxy(node1.host, node1.port);
  DatabaseConfig through_proxy = node1;
  through_proxy.host = "127.0.0.1";  // the proxy listens there
  through_proxy.port = proxy.port();
  db::Connection connection(through_proxy);
  SystemRandom random;
  db::JobRepository jobs(connection, db::ClaimOptions{}, random);
  int taken_on_node2 = 0;
  proxy.arm_before([&] {
    taken_on_node2 = execute_on(
        1,
        "UPDATE jobs SET state = 'running', lease_owner = 'node2', lease_expires = NOW(3) + INTERVAL 30 SECOND,"
        " attempts = attempts + 1 WHERE id = " +
            std::to_string(id));
  });
  const auto claimed = jobs.claim("node1", 30s, {"a"});
  BOOST_TEST(proxy.holds() == 1);
  BOOST_TEST(taken_on_node2 == 1);
  BOOST_TEST(!claimed.has_value(), "node 1 was handed job " << (claimed ? claimed->id : 0) << " it does not hold");
  BOOST_TEST(jobs.claim_conflicts() == 1U);  // the lost COMMIT was seen and the claim tried again
  const std::string where = " FROM jobs WHERE id = " + std::to_string(id);
  BOOST_TEST(scalar_on(0, "SELECT CONCAT(state, ' ', lease_owner, ' ', attempts)" + where) == "running node2 1");
  BOOST_TEST(scalar_on(2, "SELECT CONCAT(state, ' ', lease_owner, ' ', attempts)" + where) == "running node2 1");
}

BOOST_FIXTURE_TEST_CASE(three_migrators_on_three_nodes_apply_each_migration_once, Cluster) {
  TempDir dir;
  // Not idempotent: run twice it fails ("table exists"), and the pause lets the runs overlap.
  dir.write("001_a.sql", "CREATE TABLE a (id INT PRIMARY KEY);\nDO SLEEP(1);\nINSERT INTO a VALUES (1);");
  dir.write("002_b.sql", "INSERT INTO a VALUES (2);\nDO SLEEP(0.5);");
  std::vector<DatabaseConfig> configs;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    configs.push_back(on_node(i));
  }
  std::vector<std::vector<std::string>> applied(nodes.size());
  std::vector<std::string> errors(nodes.size());
  std::vector<std::thread> runs;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    runs.emplace_back([&, i] {
      try {
        db::Connection connection(configs[i]);
        applied[i] = db::migrate(connection, dir.path.string());
      } catch (const std::exception& error) {
        errors[i] = error.what();
      }
    });
  }
  for (auto& run : runs) {
    run.join();
  }
  std::size_t total = 0;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    BOOST_TEST(errors[i].empty(), "node " << i + 1 << ": " << errors[i]);
    total += applied[i].size();
  }
  BOOST_TEST(total == 2U);
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    BOOST_TEST(scalar_on(i, "SELECT GROUP_CONCAT(id ORDER BY id) FROM a") == "1,2");
    BOOST_TEST(scalar_on(i, "SELECT COUNT(*) FROM schema_migrations") == "2");
    BOOST_TEST(scalar_on(i, "SELECT COUNT(*) FROM schema_migration_lock") == "0");
  }
}
