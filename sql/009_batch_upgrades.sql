-- Mass upgrades: a batch selects devices once (set-based), creates their operations as 'queued'
-- and a dispatcher job starts them within the batch's limits. Counters are recounted in the
-- transaction of every status change, with the batch row locked first; change_seq numbers the
-- changes so that clients poll for what changed since a cursor.
CREATE TABLE batch_upgrade_operations (
  id                CHAR(36)     NOT NULL PRIMARY KEY,
  organization_id   VARCHAR(36)  NULL,  -- the category's; NULL for a shared category (superusers only)
  build_id          CHAR(36)     NOT NULL,
  status            ENUM('scheduled', 'in-progress', 'paused', 'success', 'failed', 'cancelled') NOT NULL,
  group_name        VARCHAR(64)  NOT NULL DEFAULT '',
  location          VARCHAR(128) NOT NULL DEFAULT '',
  upgrade_all       BOOLEAN      NOT NULL DEFAULT FALSE,
  upgrade_options   TEXT         NOT NULL,
  scheduled_at      DATETIME(3)  NULL,
  persistent        BOOLEAN      NOT NULL DEFAULT FALSE,
  deadline          DATETIME(3)  NULL,
  max_parallel      INT          NOT NULL DEFAULT 0,   -- 0 = only the scheduler's limits
  first_wave        INT          NOT NULL DEFAULT 0,   -- devices of the first wave; 0 = no staged rollout
  max_failure_rate  DOUBLE       NOT NULL DEFAULT 0,   -- percent of the first wave allowed to fail
  wave_passed       BOOLEAN      NOT NULL DEFAULT FALSE,
  stop_reason       TEXT         NOT NULL,
  total             INT          NOT NULL DEFAULT 0,
  n_queued          INT          NOT NULL DEFAULT 0,
  n_pending         INT          NOT NULL DEFAULT 0,
  n_in_progress     INT          NOT NULL DEFAULT 0,
  n_success         INT          NOT NULL DEFAULT 0,
  n_failed          INT          NOT NULL DEFAULT 0,
  n_aborted         INT          NOT NULL DEFAULT 0,
  n_cancelled       INT          NOT NULL DEFAULT 0,
  change_seq        BIGINT       NOT NULL DEFAULT 0,
  created           DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  modified          DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  KEY batches_org (organization_id, created),
  KEY batches_build (build_id, created),
  KEY batches_status (status, created),
  CONSTRAINT batches_build FOREIGN KEY (build_id) REFERENCES fw_builds (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Operations of a batch wait as 'queued' for their turn, or as 'pending' (persistent batches)
-- until their device is retried; both hold the device like 'in-progress'.
ALTER TABLE upgrade_operations DROP INDEX upgrade_operations_active;
ALTER TABLE upgrade_operations DROP COLUMN active_device;
ALTER TABLE upgrade_operations
  MODIFY status ENUM('queued', 'pending', 'in-progress', 'success', 'failed', 'cancelled', 'aborted')
    NOT NULL DEFAULT 'in-progress',
  ADD COLUMN active_device VARCHAR(36)
    AS (IF(status IN ('queued', 'pending', 'in-progress'), device_id, NULL)) PERSISTENT,
  ADD COLUMN started DATETIME(3) NULL,
  ADD COLUMN next_attempt_at DATETIME(3) NULL,
  ADD COLUMN pending_attempts INT NOT NULL DEFAULT 0,
  ADD COLUMN batch_seq BIGINT NOT NULL DEFAULT 0,
  ADD UNIQUE KEY upgrade_operations_active (active_device),
  ADD KEY upgrade_operations_batch_seq (batch_id, batch_seq);
UPDATE upgrade_operations SET started = created;
