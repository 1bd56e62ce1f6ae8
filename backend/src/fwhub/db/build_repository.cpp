// SQL of the builds tables, as named constants, and its execution.
#include "fwhub/db/build_repository.hpp"

#include <cppconn/exception.h>
#include <cppconn/statement.h>
#include <spdlog/spdlog.h>

#include "fwhub/common/utc_time.hpp"

namespace fwhub::db {
namespace {

constexpr const char* kFind =
    "SELECT b.request_hash, b.status, b.imagebuilder_status, b.request_json, b.version, b.target, b.profile,"
    " b.client, DATE_FORMAT(b.enqueued_at, '%Y-%m-%dT%H:%i:%s.%fZ'),"
    " IF(b.status = 'queued', (SELECT COUNT(*) FROM builds q WHERE q.status = 'queued' AND q.id <= b.id), 0),"
    " b.result_json, b.detail, b.stdout, b.stderr,"
    " IFNULL(TIMESTAMPDIFF(SECOND, NOW(3), b.expires_at), 0)"
    " FROM builds b WHERE b.request_hash = ? AND (b.expires_at IS NULL OR b.expires_at > NOW(3))";
constexpr const char* kPending = "SELECT COUNT(*) FROM builds WHERE status IN ('queued', 'running')";
constexpr const char* kDeleteExpiredOne =
    "DELETE FROM builds WHERE request_hash = ? AND expires_at IS NOT NULL AND expires_at <= NOW(3)";
constexpr const char* kInsert =
    "INSERT INTO builds (request_hash, request_json, version, target, profile, client) VALUES (?, ?, ?, ?, ?, ?)";
constexpr const char* kInsertJob =
    "INSERT INTO jobs (kind, payload, priority, max_attempts, run_at, active_key)"
    " VALUES ('build', ?, 0, 3, NOW(3), ?)";
constexpr const char* kCount =
    "INSERT INTO build_stats (day, event, version, target, profile, client, count, seconds)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    " ON DUPLICATE KEY UPDATE count = count + VALUES(count), seconds = seconds + VALUES(seconds)";
constexpr const char* kCountPackage =
    "INSERT INTO build_package_stats (day, branch, package, count) VALUES (UTC_DATE(), ?, ?, 1)"
    " ON DUPLICATE KEY UPDATE count = count + 1";
constexpr const char* kEventsPerDay =
    "SELECT DATE_FORMAT(day, '%Y-%m-%d'), event, SUM(count) FROM build_stats"
    " WHERE day > UTC_DATE() - INTERVAL ? DAY GROUP BY day, event";
constexpr const char* kRequestsPerVersion =
    "SELECT DATE_FORMAT(day, '%Y-%m-%d'), version, SUM(count) FROM build_stats"
    " WHERE event = 'request' AND day > UTC_DATE() - INTERVAL ? DAY GROUP BY day, version";
constexpr const char* kTopPackages =
    "SELECT package, SUM(count) AS total FROM build_package_stats WHERE branch = ?"
    " AND day > UTC_DATE() - INTERVAL 30 DAY GROUP BY package ORDER BY total DESC, package LIMIT ?";
constexpr const char* kRecentFailures =
    "SELECT DATE_FORMAT(finished_at, '%Y-%m-%dT%H:%i:%sZ'), version, target, profile, IFNULL(detail, '')"
    " FROM builds WHERE status = 'failed' AND (expires_at IS NULL OR expires_at > NOW(3))"
    " ORDER BY finished_at DESC LIMIT ?";
constexpr const char* kSetStep =
    "UPDATE builds SET status = 'running', imagebuilder_status = ?, started_at = IFNULL(started_at, NOW(3))"
    " WHERE request_hash = ?";
constexpr const char* kDone =
    "UPDATE builds SET status = 'done', imagebuilder_status = 'done', result_json = ?, build_seconds = ?,"
    " finished_at = NOW(3), expires_at = NOW(3) + INTERVAL ? SECOND WHERE request_hash = ?";
constexpr const char* kFailed =
    "UPDATE builds SET status = 'failed', imagebuilder_status = 'failed', detail = ?, stdout = ?, stderr = ?,"
    " build_seconds = ?, finished_at = NOW(3), expires_at = NOW(3) + INTERVAL ? SECOND"
    " WHERE request_hash = ? AND status IN ('queued', 'running')";
constexpr const char* kSelectExpired =
    "SELECT request_hash FROM builds WHERE expires_at IS NOT NULL AND expires_at <= NOW(3) LIMIT ?";
constexpr const char* kDeleteByHash = "DELETE FROM builds WHERE request_hash = ?";

constexpr int kDuplicateKey = 1062;
constexpr int kLockWaitTimeout = 1205;
constexpr int kDeadlock = 1213;

// The build row and its job in one transaction; false when an identical request won the race.
bool insert_build(Connection& c, const domain::build::NewBuild& build) {
  Transaction transaction(c);
  auto expired = c.prepare(kDeleteExpiredOne);
  expired->setString(1, build.request_hash);
  expired->executeUpdate();
  auto insert = c.prepare(kInsert);
  insert->setString(1, build.request_hash);
  insert->setString(2, build.request_json);
  insert->setString(3, build.version);
  insert->setString(4, build.target);
  insert->setString(5, build.profile);
  insert->setString(6, build.client);
  try {
    insert->executeUpdate();
  } catch (const sql::SQLException& error) {
    if (error.getErrorCode() == kDuplicateKey) {
      return false;  // the transaction rolls back
    }
    throw;
  }
  auto job = c.prepare(kInsertJob);
  job->setString(1, R"({"request_hash":")" + build.request_hash + R"("})");
  job->setString(2, "build:" + build.request_hash);
  job->executeUpdate();
  transaction.commit();
  return true;
}

domain::build::BuildStatus parse_status(const std::string& text) {
  if (text == "running") {
    return domain::build::BuildStatus::kRunning;
  }
  if (text == "done") {
    return domain::build::BuildStatus::kDone;
  }
  if (text == "failed") {
    return domain::build::BuildStatus::kFailed;
  }
  return domain::build::BuildStatus::kQueued;
}

const char* event_name(domain::build::BuildEvent event) {
  switch (event) {
    case domain::build::BuildEvent::kRequest:
      return "request";
    case domain::build::BuildEvent::kCacheHit:
      return "cache_hit";
    case domain::build::BuildEvent::kCacheMiss:
      return "cache_miss";
    case domain::build::BuildEvent::kSuccess:
      return "success";
    case domain::build::BuildEvent::kFailure:
      break;
  }
  return "failure";
}

std::string nullable(sql::ResultSet& row, int column) {
  return row.isNull(column) ? "" : std::string(row.getString(column));
}

}  // namespace

std::optional<domain::build::BuildRecord> BuildRepository::find(const std::string& request_hash) {
  return with_connection(connection_, [&](Connection& c) -> std::optional<domain::build::BuildRecord> {
    auto select = c.prepare(kFind);
    select->setString(1, request_hash);
    std::unique_ptr<sql::ResultSet> row(select->executeQuery());
    if (!row->next()) {
      return std::nullopt;
    }
    domain::build::BuildRecord record;
    record.request_hash = row->getString(1);
    record.status = parse_status(row->getString(2));
    record.imagebuilder_status = row->getString(3);
    record.request_json = row->getString(4);
    record.version = row->getString(5);
    record.target = row->getString(6);
    record.profile = row->getString(7);
    record.client = row->getString(8);
    record.enqueued_at = row->getString(9);
    record.queue_position = row->getInt(10);
    record.result_json = nullable(*row, 11);
    record.detail = nullable(*row, 12);
    record.stdout_text = nullable(*row, 13);
    record.stderr_text = nullable(*row, 14);
    record.seconds_left = row->getInt(15);
    return record;
  });
}

int BuildRepository::pending() {
  return with_connection(connection_, [&](Connection& c) {
    std::unique_ptr<sql::Statement> statement(c.get().createStatement());
    std::unique_ptr<sql::ResultSet> rows(statement->executeQuery(kPending));
    return rows->next() ? rows->getInt(1) : 0;
  });
}

bool BuildRepository::create(const domain::build::NewBuild& build) {
  return with_connection(connection_, [&](Connection& c) {
    // Identical requests racing on the unique hash can deadlock in InnoDB's duplicate-key
    // checks; the loser's transaction is rolled back whole, so it is simply run again.
    for (int attempt = 1;; ++attempt) {
      try {
        return insert_build(c, build);
      } catch (const sql::SQLException& error) {
        if ((error.getErrorCode() != kDeadlock && error.getErrorCode() != kLockWaitTimeout) || attempt == 5) {
          throw;
        }
        spdlog::info("build {}: transaction conflict ({}), attempt {} of 5", build.request_hash, error.what(),
                     attempt + 1);
      }
    }
  });
}

void BuildRepository::count(domain::build::BuildEvent event, const domain::build::NewBuild& build, double seconds) {
  const std::string day = format_utc_now(kDayFormat);
  if (buffer_ == nullptr) {
    write_stats({{day, event, build.version, build.target, build.profile, build.client, 1, seconds}});
    return;
  }
  buffer_->add(event, build, seconds, day);
}

void BuildRepository::count_packages(const std::string& branch, const std::vector<std::string>& packages) {
  with_connection(connection_, [&](Connection& c) {
    auto insert = c.prepare(kCountPackage);
    for (const auto& package : packages) {
      insert->setString(1, branch);
      insert->setString(2, package);
      insert->executeUpdate();
    }
  });
}

namespace {

std::vector<domain::build::DailyCount> daily(Connection& connection, const char* sql, int days) {
  return with_connection(connection, [&](Connection& c) {
    auto select = c.prepare(sql);
    select->setInt(1, days);
    std::unique_ptr<sql::ResultSet> row(select->executeQuery());
    std::vector<domain::build::DailyCount> out;
    while (row->next()) {
      out.push_back({row->getString(1), row->getString(2), row->getInt64(3)});
    }
    return out;
  });
}

}  // namespace

std::vector<domain::build::DailyCount> BuildRepository::events_per_day(int days) {
  return daily(connection_, kEventsPerDay, days);
}

std::vector<domain::build::DailyCount> BuildRepository::requests_per_version(int days) {
  return daily(connection_, kRequestsPerVersion, days);
}

std::vector<domain::build::PackageCount> BuildRepository::top_packages(const std::string& branch, int limit) {
  return with_connection(connection_, [&](Connection& c) {
    auto select = c.prepare(kTopPackages);
    select->setString(1, branch);
    select->setInt(2, limit);
    std::unique_ptr<sql::ResultSet> row(select->executeQuery());
    std::vector<domain::build::PackageCount> out;
    while (row->next()) {
      out.push_back({row->getString(1), row->getInt64(2)});
    }
    return out;
  });
}

std::vector<domain::build::FailedBuild> BuildRepository::recent_failures(int limit) {
  return with_connection(connection_, [&](Connection& c) {
    auto select = c.prepare(kRecentFailures);
    select->setInt(1, limit);
    std::unique_ptr<sql::ResultSet> row(select->executeQuery());
    std::vector<domain::build::FailedBuild> out;
    while (row->next()) {
      out.push_back({row->getString(1), row->getString(2), row->getString(3), row->getString(4), row->getString(5)});
    }
    return out;
  });
}

void BuildRepository::flush(domain::build::StatsBuffer& buffer) {
  const auto rows = buffer.take_due();
  if (rows.empty()) {
    return;
  }
  try {
    write_stats(rows);
  } catch (const Error& error) {
    buffer.restore(rows);  // kept for the next batch
    spdlog::warn("build statistics not written yet: {}", error.what());
  }
}

void BuildRepository::write_stats(const std::vector<domain::build::StatsRow>& rows) {
  with_connection(connection_, [&](Connection& c) {
    auto insert = c.prepare(kCount);
    for (const auto& row : rows) {
      insert->setString(1, row.day);
      insert->setString(2, event_name(row.event));
      insert->setString(3, row.version);
      insert->setString(4, row.target);
      insert->setString(5, row.profile);
      insert->setString(6, row.client);
      insert->setInt64(7, row.count);
      insert->setDouble(8, row.seconds);
      insert->executeUpdate();
    }
  });
}

void BuildRepository::set_step(const std::string& request_hash, const std::string& step) {
  with_connection(connection_, [&](Connection& c) {
    auto update = c.prepare(kSetStep);
    update->setString(1, step);
    update->setString(2, request_hash);
    update->executeUpdate();
  });
}

void BuildRepository::finish_done(const std::string& request_hash, const std::string& result_json, double seconds,
                                  std::chrono::seconds ttl) {
  with_connection(connection_, [&](Connection& c) {
    auto update = c.prepare(kDone);
    update->setString(1, result_json);
    update->setDouble(2, seconds);
    update->setInt64(3, ttl.count());
    update->setString(4, request_hash);
    update->executeUpdate();
  });
}

void BuildRepository::finish_failed(const std::string& request_hash, const std::string& detail,
                                    const std::string& stdout_text, const std::string& stderr_text, double seconds,
                                    std::chrono::seconds ttl) {
  with_connection(connection_, [&](Connection& c) {
    auto update = c.prepare(kFailed);
    update->setString(1, detail);
    update->setString(2, stdout_text);
    update->setString(3, stderr_text);
    update->setDouble(4, seconds);
    update->setInt64(5, ttl.count());
    update->setString(6, request_hash);
    update->executeUpdate();
  });
}

std::vector<std::string> BuildRepository::delete_expired(int limit) {
  return with_connection(connection_, [&](Connection& c) {
    std::vector<std::string> hashes;
    auto select = c.prepare(kSelectExpired);
    select->setInt(1, limit);
    std::unique_ptr<sql::ResultSet> rows(select->executeQuery());
    while (rows->next()) {
      hashes.emplace_back(rows->getString(1));
    }
    for (const auto& hash : hashes) {
      auto remove = c.prepare(kDeleteByHash);
      remove->setString(1, hash);
      remove->executeUpdate();
    }
    return hashes;
  });
}

}  // namespace fwhub::db
