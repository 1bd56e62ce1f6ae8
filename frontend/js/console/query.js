// Query strings of the API's lists (page, page_size, ordering, filters, organization) and the
// list state kept in the console's address: pure functions, no DOM.

export const PAGE_SIZES = [10, 25, 50, 100];

/** The API path with a query of the non-empty values of `params` (in the order given). */
export function withQuery(path, params = {}) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.append(key, String(value));
  }
  const text = search.toString();
  if (!text) return path;
  return `${path}${path.includes('?') ? '&' : '?'}${text}`;
}

/**
 * The list state (page, page size, ordering, filters) read from the address's query, keeping
 * only the known filters and orderings, so that a hand-edited address cannot send the API an
 * unknown parameter (which it refuses).
 */
export function listState(query, { filters = [], orderings = [], defaultOrdering = '' } = {}) {
  const page = Math.max(1, Number.parseInt(query.page, 10) || 1);
  const size = Number.parseInt(query.page_size, 10);
  const ordering = query.ordering && orderings.includes(query.ordering.replace(/^-/, '')) ? query.ordering : defaultOrdering;
  const values = {};
  for (const name of filters) if (query[name] !== undefined && query[name] !== '') values[name] = query[name];
  return { page, page_size: PAGE_SIZES.includes(size) ? size : PAGE_SIZES[0], ordering, filters: values };
}

/** The API query of a list state, within an organization (slug) when one is chosen. */
export function listQuery(state, organization) {
  return { page: state.page, page_size: state.page_size, ordering: state.ordering, ...state.filters, organization };
}

/** The address query of a list state (defaults left out). */
export function stateQuery(state, defaultOrdering = '') {
  const query = { ...state.filters };
  if (state.page > 1) query.page = String(state.page);
  if (state.page_size !== PAGE_SIZES[0]) query.page_size = String(state.page_size);
  if (state.ordering && state.ordering !== defaultOrdering) query.ordering = state.ordering;
  return query;
}

/** The ordering after a click on a column's sort button: ascending first, then descending. */
export function toggleOrdering(current, field) {
  if (current === field) return `-${field}`;
  return field;
}

/** aria-sort of a column under an ordering. */
export function ariaSort(ordering, field) {
  if (ordering === field) return 'ascending';
  if (ordering === `-${field}`) return 'descending';
  return 'none';
}

/** Number of pages of a DRF page answer. */
export function pageCount(count, pageSize) {
  return Math.max(1, Math.ceil((Number(count) || 0) / pageSize));
}
