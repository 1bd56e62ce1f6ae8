// A table over one of the API's lists: the server sorts (ordering), filters and paginates;
// the table keeps its state in the address (replaceState), so a reload or a shared link shows the
// same page. Sorting is a button per sortable column header (aria-sort), filters a small form.
import { get } from './api.js';
import { el, field, formValues } from './dom.js';
import { PAGE_SIZES, ariaSort, listQuery, listState, pageCount, stateQuery, toggleOrdering, withQuery } from './query.js';

let tableCounter = 0;

/**
 * options: path (API list), caption, columns [{label, field?, render(row)}], filters
 * [{name, label, kind?, options?}], orderings (sortable fields), defaultOrdering, organization
 * (slug), query (the route's query when the table owns the address), sync (bool), empty (text).
 */
export function listTable(options) {
  const { path, caption, columns, filters = [], orderings = [], defaultOrdering = '', organization, sync = false, empty = 'Nothing here yet.' } = options;
  const names = filters.map((f) => f.name);
  let state = listState(sync ? options.query || {} : {}, { filters: names, orderings, defaultOrdering });
  const id = `t${++tableCounter}`;
  const status = el('p', { className: 'hint table-status', id: `${id}-status`, 'aria-live': 'polite' });
  const error = el('p', { className: 'error', role: 'alert', hidden: true });
  const body = el('tbody');
  const headers = columns.map((column) => {
    const th = el('th', { scope: 'col' });
    if (column.field && orderings.includes(column.field)) {
      th.append(el('button', { type: 'button', className: 'sort', 'data-field': column.field, text: column.label, onclick: () => update({ ordering: toggleOrdering(state.ordering, column.field), page: 1 }) }));
    } else th.textContent = column.label;
    return th;
  });
  const table = el('table', { 'aria-describedby': `${id}-status` }, el('caption', { text: caption }), el('thead', {}, el('tr', {}, headers)), body);
  const previous = el('button', { type: 'button', className: 'secondary', text: 'Previous page', onclick: () => update({ page: state.page - 1 }) });
  const next = el('button', { type: 'button', className: 'secondary', text: 'Next page', onclick: () => update({ page: state.page + 1 }) });
  const sizeField = field(`${id}-size`, 'Rows per page', { kind: 'select', options: PAGE_SIZES.map((n) => [String(n), String(n)]), value: String(state.page_size) });
  sizeField.querySelector('select').addEventListener('change', (event) => update({ page_size: Number(event.target.value), page: 1 }));
  const pager = el('div', { className: 'pager' }, previous, el('span', { className: 'page-of' }), next, sizeField);

  let filterForm = null;
  if (filters.length) {
    filterForm = el(
      'form',
      { className: 'filters', role: 'search', 'aria-label': `Filter ${caption.toLowerCase()}` },
      filters.map((f) => field(f.name, f.label, { kind: f.kind || 'text', options: f.options, value: state.filters[f.name] || '' })),
      el('div', { className: 'actions' }, el('button', { type: 'submit', text: 'Filter' }), el('button', { type: 'reset', className: 'secondary', text: 'Clear' })),
    );
    filterForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const values = formValues(filterForm);
      const chosen = {};
      for (const name of names) if (values[name] !== undefined && values[name] !== '') chosen[name] = String(values[name]);
      update({ filters: chosen, page: 1 });
    });
    filterForm.addEventListener('reset', () => setTimeout(() => update({ filters: {}, page: 1 })));
  }

  const node = el('div', { className: 'list' }, filterForm, el('div', { className: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': caption }, table), pager, status, error);
  let loaded = null;

  function update(change) {
    state = { ...state, ...change };
    if (sync) {
      const hash = window.location.hash.split('?')[0];
      const search = new URLSearchParams(stateQuery(state, defaultOrdering)).toString();
      history.replaceState(null, '', `${hash}${search ? `?${search}` : ''}`);
    }
    return load();
  }

  async function load() {
    for (const th of headers) {
      const button = th.querySelector('button.sort');
      if (button) th.setAttribute('aria-sort', ariaSort(state.ordering, button.dataset.field));
    }
    error.hidden = true;
    node.setAttribute('aria-busy', 'true');
    try {
      const page = await get(withQuery(path, listQuery(state, organization)));
      loaded = page;
      body.replaceChildren(
        ...(page.results.length
          ? page.results.map((row) => el('tr', { 'data-id': row.id }, columns.map((c) => el('td', { 'data-label': c.label }, c.render ? c.render(row) : String(row[c.field] ?? '')))))
          : [el('tr', {}, el('td', { colspan: String(columns.length), className: 'empty', text: empty }))]),
      );
      const pages = pageCount(page.count, state.page_size);
      pager.querySelector('.page-of').textContent = `Page ${state.page} of ${pages}`;
      previous.disabled = state.page <= 1;
      next.disabled = state.page >= pages;
      pager.hidden = pages <= 1 && state.page_size === PAGE_SIZES[0];
      status.textContent = `${page.count} ${page.count === 1 ? 'item' : 'items'}`;
    } catch (problem) {
      error.textContent = problem.message;
      error.hidden = false;
    } finally {
      node.removeAttribute('aria-busy');
    }
    return loaded;
  }

  return { node, reload: load, get rows() { return loaded ? loaded.results : []; } };
}
