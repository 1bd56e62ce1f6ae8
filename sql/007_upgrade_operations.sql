-- Upgrade operations: one device upgrade over SSH, its durable step (so that another scheduler
-- resumes it), progress, log and outcome. At most one in progress per device (active_device).
CREATE TABLE upgrade_operations (
  id                  CHAR(36)     NOT NULL PRIMARY KEY,
  device_id           VARCHAR(36)  NOT NULL,  -- VARCHAR: MariaDB allows no generated column over CHAR
  organization_id     CHAR(36)     NOT NULL,
  image_id            CHAR(36)     NULL,
  batch_id            CHAR(36)     NULL,
  status              ENUM('in-progress', 'success', 'failed', 'cancelled', 'aborted') NOT NULL DEFAULT 'in-progress',
  active_device       VARCHAR(36)  AS (IF(status = 'in-progress', device_id, NULL)) PERSISTENT,
  step                VARCHAR(32)  NOT NULL DEFAULT 'queued',
  progress            TINYINT      NOT NULL DEFAULT 0,
  upgrade_options     TEXT         NOT NULL,
  reconnect_attempts  INT          NOT NULL DEFAULT 0,
  log                 MEDIUMTEXT   NOT NULL,
  created             DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  modified            DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY upgrade_operations_active (active_device),
  KEY upgrade_operations_device (device_id, created),
  KEY upgrade_operations_org (organization_id, created),
  KEY upgrade_operations_batch (batch_id, status),
  CONSTRAINT upgrade_operations_device FOREIGN KEY (device_id) REFERENCES devices (id) ON DELETE CASCADE,
  CONSTRAINT upgrade_operations_image FOREIGN KEY (image_id) REFERENCES fw_images (id) ON DELETE SET NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
