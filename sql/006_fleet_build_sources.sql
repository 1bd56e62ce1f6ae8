-- Firmware builds made from the catalog: one row per (fleet build, image build request) until
-- the finished image is attached to the fleet build as a firmware image, or the build failed.
CREATE TABLE fw_build_sources (
  build_id      CHAR(36)     NOT NULL,
  request_hash  CHAR(64)     NOT NULL,
  profile       VARCHAR(128) NOT NULL,
  status        ENUM('building', 'attached', 'failed') NOT NULL DEFAULT 'building',
  detail        TEXT         NOT NULL,
  image_id      CHAR(36)     NULL,
  created       DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  modified      DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (build_id, request_hash),
  KEY fw_build_sources_hash (request_hash, status),
  CONSTRAINT fw_build_sources_build FOREIGN KEY (build_id) REFERENCES fw_builds (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
