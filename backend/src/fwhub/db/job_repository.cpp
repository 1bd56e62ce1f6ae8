// SQL of the job queue, as named constants, and its execution.
#include "fwhub/db/job_repository.hpp"

#include <cppconn/exception.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

namespace fwhub::db {
namespace {

constexpr const char* kColumns =
    "id, kind, payload, state, priority, attempts, max_attempts, step, step_data, last_error";

constexpr const char* kInsert =
    "INSERT INTO jobs (kind, payload, priority, max_attempts, run_at, active_key)"
    " VALUES (?, ?, ?, ?, NOW(3) + INTERVAL ? MICROSECOND, ?)";

// A job whose holder stopped renewing its lease (crashed or partitioned) is taken over first.
constexpr const char* kSelectExpired =
    " FROM jobs WHERE state = 'running' AND lease_expires < NOW(3) AND FIND_IN_SET(kind, ?)"
    " ORDER BY lease_expires LIMIT 1 FOR UPDATE SKIP LOCKED";
// Candidates for a claim, read without locks: the first due jobs in queue order.
constexpr const char* kCandidates =
    "SELECT id, priority FROM jobs WHERE state = 'queued' AND run_at <= NOW(3) AND FIND_IN_SET(kind, ?)"
    " ORDER BY priority DESC, run_at LIMIT ?";
constexpr const char* kSelectCandidate =
    " FROM jobs WHERE id = ? AND state = 'queued' AND run_at <= NOW(3) FOR UPDATE SKIP LOCKED";
// When every candidate was taken meanwhile: the head of what is left.
constexpr const char* kSelectDue =
    " FROM jobs WHERE state = 'queued' AND run_at <= NOW(3) AND FIND_IN_SET(kind, ?)"
    " ORDER BY priority DESC, run_at LIMIT 1 FOR UPDATE SKIP LOCKED";
constexpr const char* kTake =
    "UPDATE jobs SET state = 'running', lease_owner = ?, lease_expires = NOW(3) + INTERVAL ? SECOND,"
    " attempts = attempts + 1 WHERE id = ?";

constexpr const char* kRenew =
    "UPDATE jobs SET lease_expires = NOW(3) + INTERVAL ? SECOND WHERE lease_owner = ? AND state = 'running'";
constexpr const char* kRecordStep =
    "UPDATE jobs SET step = ?, step_data = ? WHERE id = ? AND lease_owner = ? AND state = 'running'";
constexpr const char* kFinish =
    "UPDATE jobs SET state = ?, last_error = ?, finished_at = NOW(3), lease_owner = NULL, lease_expires = NULL,"
    " active_key = NULL WHERE id = ? AND lease_owner = ? AND state = 'running'";
constexpr const char* kRetryLater =
    "UPDATE jobs SET state = 'queued', last_error = ?, run_at = NOW(3) + INTERVAL ? MICROSECOND,"
    " lease_owner = NULL, lease_expires = NULL WHERE id = ? AND lease_owner = ? AND state = 'running'";
// A waiting job holds work in progress (a device mid-upgrade, a batch's slot): at least priority 1,
// so that once due it goes before jobs that have not started.
constexpr const char* kDefer =
    "UPDATE jobs SET state = 'queued', attempts = GREATEST(attempts - 1, 0), run_at = NOW(3) + INTERVAL ? MICROSECOND,"
    " priority = GREATEST(priority, 1), lease_owner = NULL, lease_expires = NULL"
    " WHERE id = ? AND lease_owner = ? AND state = 'running'";
constexpr const char* kReschedule =
    "UPDATE jobs SET state = 'queued', last_error = ?, run_at = NOW(3) + INTERVAL ? MICROSECOND, attempts = 0,"
    " step = '', step_data = NULL, lease_owner = NULL, lease_expires = NULL"
    " WHERE id = ? AND lease_owner = ? AND state = 'running'";
constexpr const char* kBringForward = "UPDATE jobs SET run_at = NOW(3) WHERE active_key = ? AND state = 'queued'";
constexpr const char* kRelease =
    "UPDATE jobs SET state = 'queued', attempts = GREATEST(attempts - 1, 0), lease_owner = NULL,"
    " lease_expires = NULL WHERE id = ? AND lease_owner = ? AND state = 'running'";
constexpr const char* kDeleteFinished =
    "DELETE FROM jobs WHERE state IN ('succeeded', 'failed', 'cancelled')"
    " AND finished_at < NOW(3) - INTERVAL ? HOUR LIMIT 5000";
constexpr const char* kFind = " FROM jobs WHERE id = ?";
constexpr const char* kFindActive = ", run_at > NOW(3) AS waiting FROM jobs WHERE active_key = ?";

constexpr int kDuplicateKey = 1062;
constexpr int kDeleteBatch = 5000;

domain::Job read_job(sql::ResultSet& row) {
  domain::Job job;
  job.id = row.getUInt64("id");
  job.kind = row.getString("kind");
  job.payload = row.getString("payload");
  job.state = domain::parse_job_state(std::string(row.getString("state"))).value_or(domain::JobState::kQueued);
  job.priority = row.getInt("priority");
  job.attempts = row.getInt("attempts");
  job.max_attempts = row.getInt("max_attempts");
  job.step = row.getString("step");
  job.step_data = row.isNull("step_data") ? "" : std::string(row.getString("step_data"));
  job.last_error = row.isNull("last_error") ? "" : std::string(row.getString("last_error"));
  return job;
}

std::string join(const std::vector<std::string>& kinds) {
  std::string out;
  for (const auto& kind : kinds) {
    out += out.empty() ? kind : "," + kind;
  }
  return out;
}

}  // namespace

std::optional<std::uint64_t> JobRepository::enqueue(const domain::NewJob& job) {
  return rerun_on_lock_conflict(connection_, [&](Connection& c) -> std::optional<std::uint64_t> {
    auto insert = c.prepare(kInsert);
    insert->setString(1, job.kind);
    insert->setString(2, job.payload);
    insert->setInt(3, job.priority);
    insert->setInt(4, job.max_attempts);
    insert->setInt64(5, std::chrono::duration_cast<std::chrono::microseconds>(job.delay).count());
    if (job.active_key) {
      insert->setString(6, *job.active_key);
    } else {
      insert->setNull(6, sql::DataType::VARCHAR);
    }
    try {
      insert->executeUpdate();
    } catch (const sql::SQLException& error) {
      if (error.getErrorCode() == kDuplicateKey) {
        return std::nullopt;
      }
      throw;
    }
    std::unique_ptr<sql::Statement> statement(c.get().createStatement());
    std::unique_ptr<sql::ResultSet> rows(statement->executeQuery("SELECT LAST_INSERT_ID()"));
    rows->next();
    return rows->getUInt64(1);
  });
}

std::optional<domain::Job> JobRepository::claim(const std::string& owner, std::chrono::seconds lease,
                                                const std::vector<std::string>& kinds) {
  const std::string kind_list = join(kinds);
  return with_connection(connection_, [&](Connection&) -> std::optional<domain::Job> {
    for (int attempt = 1;; ++attempt) {
      try {
        return claim_once(owner, lease, kind_list);
      } catch (const sql::SQLException& error) {
        if (!is_lock_conflict(error) || attempt >= options_.conflict_attempts) {
          throw;
        }
        ++claim_conflicts_;
        // A fixed pause when no randomness was given: conflicts are then rare (one node).
        const auto delay = random_ != nullptr ? backoff_delay(options_.conflict_backoff, attempt, *random_)
                                              : options_.conflict_backoff.base;
        spdlog::debug("claim conflict {} ({}), trying again in {} ms", attempt, error.getErrorCode(), delay.count());
        std::this_thread::sleep_for(delay);
      }
    }
  });
}

std::size_t JobRepository::pick(std::size_t count) {
  if (count <= 1 || random_ == nullptr) {
    return 0;
  }
  return std::min(count - 1, static_cast<std::size_t>(random_->uniform() * static_cast<double>(count)));
}

std::optional<domain::Job> JobRepository::claim_once(const std::string& owner, std::chrono::seconds lease,
                                                     const std::string& kinds) {
  Connection& c = connection_;
  Transaction transaction(c);
  std::optional<domain::Job> job;
  const auto select_one = [&](const std::string& query, const auto& bind) {
    auto select = c.prepare(std::string("SELECT ") + kColumns + query);
    bind(*select);
    std::unique_ptr<sql::ResultSet> rows(select->executeQuery());
    if (rows->next()) {
      job = read_job(*rows);
    }
  };
  select_one(kSelectExpired, [&](sql::PreparedStatement& s) { s.setString(1, kinds); });
  if (!job) {
    std::vector<std::uint64_t> candidates;
    {
      auto select = c.prepare(kCandidates);
      select->setString(1, kinds);
      select->setInt(2, std::max(options_.spread, 1));
      std::unique_ptr<sql::ResultSet> rows(select->executeQuery());
      std::optional<int> top;
      while (rows->next() && (!top || rows->getInt(2) == *top)) {
        top = rows->getInt(2);
        candidates.push_back(rows->getUInt64(1));
      }
    }
    const std::size_t start = pick(candidates.size());
    for (std::size_t i = 0; i < candidates.size() && !job; ++i) {
      const std::uint64_t id = candidates[(start + i) % candidates.size()];
      select_one(kSelectCandidate, [id](sql::PreparedStatement& s) { s.setUInt64(1, id); });
    }
    if (!job && !candidates.empty()) {
      select_one(kSelectDue, [&](sql::PreparedStatement& s) { s.setString(1, kinds); });
    }
  }
  if (!job) {
    transaction.commit();
    return std::nullopt;
  }
  auto take = c.prepare(kTake);
  take->setString(1, owner);
  take->setInt64(2, lease.count());
  take->setUInt64(3, job->id);
  take->executeUpdate();
  transaction.commit();  // throws when it failed: then the job is not ours
  job->state = domain::JobState::kRunning;
  job->attempts += 1;
  return job;
}

int JobRepository::renew_leases(const std::string& owner, std::chrono::seconds lease) {
  return rerun_on_lock_conflict(connection_, [&](Connection& c) {
    auto update = c.prepare(kRenew);
    update->setInt64(1, lease.count());
    update->setString(2, owner);
    return update->executeUpdate();
  });
}

bool JobRepository::record_step(std::uint64_t id, const std::string& owner, const std::string& step,
                                const std::string& step_data) {
  return rerun_on_lock_conflict(connection_, [&](Connection& c) {
    auto update = c.prepare(kRecordStep);
    update->setString(1, step);
    update->setString(2, step_data);
    update->setUInt64(3, id);
    update->setString(4, owner);
    return update->executeUpdate() == 1;
  });
}

bool JobRepository::succeed(std::uint64_t id, const std::string& owner) {
  return rerun_on_lock_conflict(connection_, [&](Connection& c) {
    auto update = c.prepare(kFinish);
    update->setString(1, "succeeded");
    update->setNull(2, sql::DataType::VARCHAR);
    update->setUInt64(3, id);
    update->setString(4, owner);
    return update->executeUpdate() == 1;
  });
}

bool JobRepository::fail(std::uint64_t id, const std::string& owner, const std::string& error) {
  return rerun_on_lock_conflict(connection_, [&](Connection& c) {
    auto update = c.prepare(kFinish);
    update->setString(1, "failed");
    update->setString(2, error);
    update->setUInt64(3, id);
    update->setString(4, owner);
    return update->executeUpdate() == 1;
  });
}

bool JobRepository::retry_later(std::uint64_t id, const std::string& owner, const std::string& error,
                                std::chrono::milliseconds delay) {
  return rerun_on_lock_conflict(connection_, [&](Connection& c) {
    auto update = c.prepare(kRetryLater);
    update->setString(1, error);
    update->setInt64(2, std::chrono::duration_cast<std::chrono::microseconds>(delay).count());
    update->setUInt64(3, id);
    update->setString(4, owner);
    return update->executeUpdate() == 1;
  });
}

bool JobRepository::defer(std::uint64_t id, const std::string& owner, std::chrono::milliseconds delay) {
  return rerun_on_lock_conflict(connection_, [&](Connection& c) {
    auto update = c.prepare(kDefer);
    update->setInt64(1, std::chrono::duration_cast<std::chrono::microseconds>(delay).count());
    update->setUInt64(2, id);
    update->setString(3, owner);
    return update->executeUpdate() == 1;
  });
}

bool JobRepository::reschedule(std::uint64_t id, const std::string& owner, const std::string& error,
                               std::chrono::milliseconds delay) {
  return rerun_on_lock_conflict(connection_, [&](Connection& c) {
    auto update = c.prepare(kReschedule);
    if (error.empty()) {
      update->setNull(1, sql::DataType::VARCHAR);
    } else {
      update->setString(1, error);
    }
    update->setInt64(2, std::chrono::duration_cast<std::chrono::microseconds>(delay).count());
    update->setUInt64(3, id);
    update->setString(4, owner);
    return update->executeUpdate() == 1;
  });
}

bool JobRepository::bring_forward(const std::string& active_key) {
  return rerun_on_lock_conflict(connection_, [&](Connection& c) {
    auto update = c.prepare(kBringForward);
    update->setString(1, active_key);
    return update->executeUpdate() == 1;
  });
}

bool JobRepository::release(std::uint64_t id, const std::string& owner) {
  return rerun_on_lock_conflict(connection_, [&](Connection& c) {
    auto update = c.prepare(kRelease);
    update->setUInt64(1, id);
    update->setString(2, owner);
    return update->executeUpdate() == 1;
  });
}

int JobRepository::delete_finished_older_than(std::chrono::hours age) {
  return rerun_on_lock_conflict(connection_, [&](Connection& c) {
    int total = 0;
    for (;;) {
      auto remove = c.prepare(kDeleteFinished);
      remove->setInt64(1, age.count());
      const int deleted = remove->executeUpdate();
      total += deleted;
      if (deleted < kDeleteBatch) {
        return total;
      }
    }
  });
}

std::optional<domain::Job> JobRepository::find(std::uint64_t id) {
  return rerun_on_lock_conflict(connection_, [&](Connection& c) -> std::optional<domain::Job> {
    auto select = c.prepare(std::string("SELECT ") + kColumns + kFind);
    select->setUInt64(1, id);
    std::unique_ptr<sql::ResultSet> rows(select->executeQuery());
    if (!rows->next()) {
      return std::nullopt;
    }
    return read_job(*rows);
  });
}

std::optional<std::pair<domain::Job, bool>> JobRepository::find_active(const std::string& active_key) {
  return rerun_on_lock_conflict(connection_, [&](Connection& c) -> std::optional<std::pair<domain::Job, bool>> {
    auto select = c.prepare(std::string("SELECT ") + kColumns + kFindActive);
    select->setString(1, active_key);
    std::unique_ptr<sql::ResultSet> rows(select->executeQuery());
    if (!rows->next()) {
      return std::nullopt;
    }
    return std::make_pair(read_job(*rows), rows->getBoolean("waiting"));
  });
}

}  // namespace fwhub::db
