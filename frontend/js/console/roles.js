// What the signed-in user may do in an organization, from auth/me: pure functions.
// The API enforces every rule; the console only leaves out what would be refused.

/** The user's role in an organization (by id): 'superuser', 'admin', 'operator' or null. */
export function roleIn(me, organizationId) {
  if (!me) return null;
  if (me.is_superuser) return 'superuser';
  const membership = (me.organizations || []).find((m) => m.organization === organizationId);
  return membership ? membership.role : null;
}

/** Changes categories, builds, images, devices, credentials and connections. */
export function canAdminister(me, organizationId) {
  const role = roleIn(me, organizationId);
  return role === 'superuser' || role === 'admin';
}

/** Starts and cancels upgrades (single and mass), refreshes device info. */
export function canOperate(me, organizationId) {
  return roleIn(me, organizationId) !== null;
}

/**
 * The organization to show: the stored choice when it is still among the visible ones,
 * else the first one. Organizations are {id, slug, name}.
 */
export function pickOrganization(organizations, storedSlug) {
  if (!organizations.length) return null;
  return organizations.find((o) => o.slug === storedSlug) || organizations[0];
}
