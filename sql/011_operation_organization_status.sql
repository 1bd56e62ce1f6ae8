-- upgrade.max_parallel_per_organization counts an organization's running operations whenever a
-- batch dispatches or a single upgrade starts: an index on (organization, status) keeps that count
-- from reading every operation the organization ever had.
ALTER TABLE upgrade_operations ADD KEY upgrade_operations_org_status (organization_id, status);
