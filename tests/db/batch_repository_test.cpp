// Mass upgrades against MariaDB: a batch of 10,000 devices is created in one set-based
// transaction, and operations ending concurrently on many connections leave the batch's counters
// and status exact (every change recounts under the batch row lock); the organization's limit of
// running operations holds for batches and single upgrades together, also under concurrency.
#define BOOST_TEST_MODULE batch_repository
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "fwhub/db/batch_repository.hpp"
#include "fwhub/db/upgrade_repository.hpp"
#include "support/test_database.hpp"

using fwhub::db::BatchRepository;
using fwhub::db::Connection;
using fwhub::db::UpgradeRepository;
using fwhub::domain::upgrade::Outcome;

namespace {

constexpr int kDevices = 10000;

// One organization, a category with an old and a new build (one image each, same type), and
// kDevices devices running the old image.
struct Fleet {
  fwhub::testing::TestDatabase database;

  Fleet() {
    database.migrate();
    for (const char* sql : {
             "INSERT INTO organizations (id, name, slug) VALUES ('o1', 'Org', 'org')",
             "INSERT INTO categories (id, organization_id, name, description) VALUES ('c1', 'o1', 'Routers', '')",
             "INSERT INTO fw_builds (id, category_id, organization_id, version, changelog) VALUES"
             " ('b-old', 'c1', 'o1', '1.0', ''), ('b-new', 'c1', 'o1', '2.0', '')",
             "INSERT INTO fw_images (id, build_id, organization_id, type, file_name, size, sha256, boards, metadata)"
             " VALUES ('i-old', 'b-old', 'o1', 't', 'old.bin', 1, REPEAT('a', 64), '[\"x,y\"]', '{}'),"
             " ('i-new', 'b-new', 'o1', 't', 'new.bin', 1, REPEAT('b', 64), '[\"x,y\"]', '{}')",
             "INSERT INTO devices (id, organization_id, name, board_name, group_name)"
             " SELECT CONCAT('d', seq), 'o1', CONCAT('device-', seq), 'x,y', IF(seq % 2 = 0, 'even', 'odd')"
             " FROM seq_1_to_10000",
             "INSERT INTO device_firmware (id, device_id, image_id, installed)"
             " SELECT CONCAT('f', seq), CONCAT('d', seq), 'i-old', TRUE FROM seq_1_to_10000",
         }) {
      database.execute_here(sql);
    }
  }

  fwhub::domain::upgrade::NewBatch batch(const std::string& group = "") const {
    fwhub::domain::upgrade::NewBatch batch;
    batch.selection = {"b-new", "c1", std::string("o1"), group, ""};
    batch.options_json = "{}";
    return batch;
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(ten_thousand_devices_make_one_batch_in_one_transaction) {
  Fleet fleet;
  Connection connection(fleet.database.config());
  BatchRepository batches(connection, std::chrono::seconds(5));
  const auto begin = std::chrono::steady_clock::now();
  const auto id = batches.create(fleet.batch());
  const auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  BOOST_TEST_MESSAGE("batch of " << kDevices << " devices created in " << took << " s");
  BOOST_REQUIRE(id.has_value());
  BOOST_TEST(fleet.database.scalar("SELECT COUNT(*) FROM upgrade_operations WHERE batch_id = '" + *id +
                                   "' AND status = 'queued' AND image_id = 'i-new'") == "10000");
  BOOST_TEST(fleet.database.scalar("SELECT CONCAT(total, '/', n_queued, '/', status) FROM batch_upgrade_operations") ==
             "10000/10000/in-progress");
  BOOST_TEST(fleet.database.scalar("SELECT COUNT(*) FROM device_firmware WHERE image_id = 'i-new' AND NOT installed") ==
             "10000");
  BOOST_TEST(fleet.database.scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'batch_dispatch'") == "1");
  // Every device is busy now: a second batch finds none, and writes nothing.
  BOOST_TEST(!batches.create(fleet.batch()).has_value());
  BOOST_TEST(fleet.database.scalar("SELECT COUNT(*) FROM batch_upgrade_operations") == "1");
}

BOOST_AUTO_TEST_CASE(concurrent_endings_keep_the_counters_exact) {
  Fleet fleet;
  Connection connection(fleet.database.config());
  BatchRepository batches(connection, std::chrono::seconds(5));
  const auto id = batches.create(fleet.batch("even"));  // 5,000 devices
  BOOST_REQUIRE(id.has_value());
  const auto next = batches.dispatch(*id, {0, 3});
  BOOST_TEST(next.has_value());  // still open: look again later
  BOOST_TEST(fleet.database.scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'upgrade'") == "5000");
  BOOST_TEST(fleet.database.scalar("SELECT n_in_progress FROM batch_upgrade_operations") == "5000");

  // 8 threads end 400 operations each at once: success, failed, aborted, cancelled in turn.
  constexpr int kThreads = 8;
  constexpr int kEach = 400;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&fleet, t] {
      Connection own(fleet.database.config());
      UpgradeRepository store(own, "/nonexistent");
      for (int i = 0; i < kEach; ++i) {
        const int device = 2 * (t * kEach + i + 1);  // even devices only
        const auto operation = fleet.database.scalar("SELECT id FROM upgrade_operations WHERE device_id = 'd" +
                                                     std::to_string(device) + "'");
        const Outcome outcome = std::array{Outcome::kSuccess, Outcome::kFailed, Outcome::kAborted,
                                           Outcome::kCancelled}[static_cast<std::size_t>(i % 4)];
        store.finish(operation, outcome, "");
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  BOOST_TEST(fleet.database.scalar("SELECT CONCAT_WS('/', n_in_progress, n_success, n_failed, n_aborted,"
                                   " n_cancelled, total, status, change_seq > 3200) FROM batch_upgrade_operations") ==
             "1800/800/800/800/800/5000/in-progress/1");
  // The counters equal a fresh count.
  BOOST_TEST(fleet.database.scalar("SELECT COUNT(*) FROM upgrade_operations WHERE status = 'success'") == "800");
  // Cancelling the batch cancels what has not begun reflashing; then it stays cancelled.
  BOOST_TEST(
      (batches.act(*id, fwhub::domain::upgrade::BatchAction::kCancel) == fwhub::domain::upgrade::ActionResult::kDone));
  BOOST_TEST(fleet.database.scalar("SELECT CONCAT_WS('/', n_in_progress, n_cancelled, status)"
                                   " FROM batch_upgrade_operations") == "0/2600/cancelled");
  BOOST_TEST(!batches.dispatch(*id, {0, 3}).has_value());
}

namespace {

// A single upgrade of device dN to the new image.
std::string start_single(UpgradeRepository& store, int device, int organization_limit) {
  return store.start("d" + std::to_string(device), "o1", "i-new", "{}", {3, organization_limit});
}

}  // namespace

BOOST_AUTO_TEST_CASE(single_upgrades_wait_queued_at_the_organization_limit_and_batches_count_them) {
  Fleet fleet;
  Connection connection(fleet.database.config());
  UpgradeRepository store(connection, "/nonexistent");
  const auto first = start_single(store, 1, 2);
  const auto second = start_single(store, 3, 2);
  const auto third = start_single(store, 5, 2);
  const auto status = [&fleet](const std::string& id) {
    return fleet.database.scalar("SELECT CONCAT_WS('/', status, started IS NULL) FROM upgrade_operations WHERE id = '" +
                                 id + "'");
  };
  BOOST_TEST(status(first) == "in-progress/0");
  BOOST_TEST(status(second) == "in-progress/0");
  BOOST_TEST(status(third) == "queued/1");
  BOOST_TEST(fleet.database.scalar("SELECT log FROM upgrade_operations WHERE id = '" + third + "'")
                 .find("Waiting for a free slot") != std::string::npos);
  BOOST_TEST(fleet.database.scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'upgrade'") == "3");
  // A queued device is busy: starting it again is refused.
  BOOST_CHECK_THROW(start_single(store, 5, 2), fwhub::Error);

  BOOST_TEST(!store.admit(third, 2));  // both slots taken
  BOOST_TEST(status(third) == "queued/1");
  // A batch of the same organization counts the single upgrades too: nothing starts.
  BatchRepository batches(connection, std::chrono::seconds(5));
  const auto batch = batches.create(fleet.batch("even"));
  BOOST_REQUIRE(batch.has_value());
  BOOST_TEST(batches.dispatch(*batch, {2, 3}).has_value());
  BOOST_TEST(fleet.database.scalar("SELECT n_in_progress FROM batch_upgrade_operations") == "0");

  store.finish(first, Outcome::kSuccess, "");
  BOOST_TEST(store.admit(third, 2));
  BOOST_TEST(status(third) == "in-progress/0");
  BOOST_TEST(!store.admit(third, 2));  // admitted once only
  store.finish(second, Outcome::kSuccess, "");
  BOOST_TEST(batches.dispatch(*batch, {2, 3}).has_value());
  BOOST_TEST(fleet.database.scalar("SELECT n_in_progress FROM batch_upgrade_operations") == "1");
  // Without a limit (0) a queued operation is admitted at once.
  store.finish(third, Outcome::kSuccess, "");
  const auto fourth = start_single(store, 7, 1);
  BOOST_TEST(status(fourth) == "queued/1");
  BOOST_TEST(store.admit(fourth, 0));
}

BOOST_AUTO_TEST_CASE(concurrent_admissions_never_pass_the_organization_limit) {
  Fleet fleet;
  Connection connection(fleet.database.config());
  UpgradeRepository store(connection, "/nonexistent");
  const auto running = start_single(store, 1, 1);
  constexpr int kQueued = 8;
  constexpr int kLimit = 3;
  std::vector<std::string> queued;
  queued.reserve(kQueued);
  for (int i = 0; i < kQueued; ++i) {
    queued.push_back(start_single(store, 3 + 2 * i, 1));
  }
  BOOST_TEST(fleet.database.scalar("SELECT COUNT(*) FROM upgrade_operations WHERE status = 'queued'") == "8");
  store.finish(running, Outcome::kSuccess, "");
  // Every queued operation's job asks at once, each on its own connection.
  std::atomic<int> admitted = 0;
  std::vector<std::thread> threads;
  threads.reserve(kQueued);
  for (const auto& id : queued) {
    threads.emplace_back([&fleet, &admitted, id] {
      Connection own(fleet.database.config());
      UpgradeRepository mine(own, "/nonexistent");
      if (mine.admit(id, kLimit)) {
        ++admitted;
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  BOOST_TEST(admitted.load() == kLimit);
  BOOST_TEST(fleet.database.scalar("SELECT COUNT(*) FROM upgrade_operations WHERE status = 'in-progress'") == "3");
}
