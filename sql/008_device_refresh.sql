-- "Refresh device info": what the last reading over SSH found (free memory, when, or why not).
ALTER TABLE devices
  ADD COLUMN memory_free_kb  INT         NULL,
  ADD COLUMN refreshed_at    DATETIME(3) NULL,
  ADD COLUMN refresh_error   TEXT        NULL;
