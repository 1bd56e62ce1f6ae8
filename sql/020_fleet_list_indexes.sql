-- Fleet lists across all organizations (superusers) and in large organizations without sorting
-- every row: devices by name (the default order) and by group or location newest first, upgrade
-- operations newest first (the default order). InnoDB appends the primary key to each index, so
-- (created DESC) serves "ORDER BY created DESC, id". bench/fleet_api measures these lists.
ALTER TABLE devices
  ADD KEY IF NOT EXISTS devices_all_name (name),
  ADD KEY IF NOT EXISTS devices_all_group (group_name, created DESC),
  ADD KEY IF NOT EXISTS devices_all_location (location, created DESC);
ALTER TABLE upgrade_operations
  ADD KEY IF NOT EXISTS upgrade_operations_created (created DESC),
  DROP KEY IF EXISTS upgrade_operations_org,
  ADD KEY upgrade_operations_org (organization_id, created DESC);
