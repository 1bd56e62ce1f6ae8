-- Who may have credentials sent where (README "Threat model"): who last pointed a device at its
-- address (management_ip, ssh_port, a host key reset) and whether that user was a superuser then;
-- who last supplied a credential's secret; whether a superuser added a device's connection (or
-- the auto_add of a shared credential did). Rows from before this migration know none of it, so
-- the scheduler treats them as pointed and added by nobody trusted until someone confirms.
ALTER TABLE devices
  ADD COLUMN address_set_by        VARCHAR(36) NULL,
  ADD COLUMN address_by_superuser  BOOLEAN     NOT NULL DEFAULT FALSE;
ALTER TABLE credentials ADD COLUMN secret_set_by VARCHAR(36) NULL;
ALTER TABLE device_connections ADD COLUMN attached_by_superuser BOOLEAN NOT NULL DEFAULT FALSE;
