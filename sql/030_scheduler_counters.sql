-- Counters of every scheduler process for /api/v1/metrics: one row per counter and job kind
-- ('' for the process's own counters), keyed by the process's lease owner id, overwritten with the
-- process's running totals at every heartbeat. A process's rows go a day after its last report.
-- The status index lets a scrape count upgrade operations by status without reading their rows.
CREATE TABLE IF NOT EXISTS scheduler_counters (
  owner       VARCHAR(128)    NOT NULL,
  counter     VARCHAR(32)     NOT NULL,
  kind        VARCHAR(64)     NOT NULL DEFAULT '',
  value       BIGINT UNSIGNED NOT NULL DEFAULT 0,
  updated_at  DATETIME(3)     NOT NULL,
  PRIMARY KEY (owner, counter, kind),
  KEY scheduler_counters_updated (updated_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
ALTER TABLE upgrade_operations ADD KEY IF NOT EXISTS upgrade_operations_status (status);
