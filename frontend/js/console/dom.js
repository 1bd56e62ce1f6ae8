// DOM helpers of the console: element building, forms with field errors, the confirmation
// dialog, the polite announcer and the page heading that receives focus after navigation.

export const $ = (id) => document.getElementById(id);

/** el('a', {href, text, onclick}, ...children); false/null props and children are left out. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'className') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'value' || key === 'checked') node[key] = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

let fieldCounter = 0;

/**
 * A labelled form field with its error slot. kind: 'text' (default), 'password', 'number',
 * 'textarea', 'select' (options [[value, label]]), 'checkbox', 'file', 'datetime-local'.
 */
export function field(name, label, { kind = 'text', value = '', options = [], hint = '', required = false, attrs = {} } = {}) {
  const id = `f-${name}-${++fieldCounter}`;
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  const described = [hintId, errorId].filter(Boolean).join(' ');
  let input;
  if (kind === 'textarea') input = el('textarea', { id, name, rows: 4, 'aria-describedby': described, required, ...attrs });
  else if (kind === 'select') {
    input = el('select', { id, name, 'aria-describedby': described, required, ...attrs }, options.map(([v, text]) => el('option', { value: v, text })));
  } else input = el('input', { id, name, type: kind, 'aria-describedby': described, required, ...attrs });
  // Defaults (not only values), so that a form's reset() returns to them.
  if (kind === 'checkbox') input.defaultChecked = Boolean(value);
  else if (kind === 'select') {
    if (value !== '' && value !== null && value !== undefined) input.value = value;
  }
  else if (kind !== 'file') input.defaultValue = value ?? '';
  const wrapper = el('div', { className: kind === 'checkbox' ? 'field check' : 'field', 'data-field': name });
  const labelNode = el('label', { for: id, text: label });
  if (kind === 'checkbox') wrapper.append(input, labelNode);
  else wrapper.append(labelNode, input);
  if (hint) wrapper.append(el('p', { id: hintId, className: 'hint', text: hint }));
  wrapper.append(el('p', { id: errorId, className: 'field-error', hidden: true }));
  return wrapper;
}

/** The values of a form's named inputs (checkboxes as booleans, empty numbers left out). */
export function formValues(form) {
  const values = {};
  for (const input of form.querySelectorAll('input[name], select[name], textarea[name]')) {
    if (input.type === 'checkbox') values[input.name] = input.checked;
    else if (input.type === 'file') values[input.name] = input.files[0] || null;
    else if (input.type === 'number') {
      if (input.value !== '') values[input.name] = Number(input.value);
    } else values[input.name] = input.value;
  }
  return values;
}

/** Shows an ApiError's field messages next to their fields and the rest in the form's alert. */
export function showFormErrors(form, error) {
  clearFormErrors(form);
  const fields = error && error.fields ? error.fields : {};
  const rest = [];
  let first = null;
  for (const [name, messages] of Object.entries(fields)) {
    const wrapper = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
    const text = [].concat(messages).join(' ');
    if (!wrapper) {
      rest.push(`${name}: ${text}`);
      continue;
    }
    const slot = wrapper.querySelector('.field-error');
    slot.textContent = text;
    slot.hidden = false;
    const input = wrapper.querySelector('input, select, textarea');
    input.setAttribute('aria-invalid', 'true');
    first = first || input;
  }
  const alert = form.querySelector('.form-error');
  if (alert) {
    const text = rest.length ? rest.join('; ') : Object.keys(fields).length ? '' : error.message;
    alert.textContent = text;
    alert.hidden = !text;
  }
  (first || alert)?.focus?.();
}

export function clearFormErrors(form) {
  for (const slot of form.querySelectorAll('.field-error')) {
    slot.textContent = '';
    slot.hidden = true;
  }
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  const alert = form.querySelector('.form-error');
  if (alert) {
    alert.textContent = '';
    alert.hidden = true;
  }
}

/** A form whose submit runs `action(values, form)`; errors go to the fields. */
export function form(children, submitLabel, action, { className = 'stack-form', label = '' } = {}) {
  const alert = el('p', { className: 'form-error', role: 'alert', tabindex: '-1', hidden: true });
  const button = el('button', { type: 'submit', text: submitLabel });
  const node = el('form', { className, novalidate: true, 'aria-label': label || null }, children, el('div', { className: 'actions' }, button), alert);
  // While the action runs the button only says it is busy: a disabled button would lose the focus.
  let busy = false;
  node.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    button.setAttribute('aria-disabled', 'true');
    clearFormErrors(node);
    try {
      await action(formValues(node), node);
    } catch (error) {
      showFormErrors(node, error);
    } finally {
      busy = false;
      button.removeAttribute('aria-disabled');
    }
  });
  return node;
}

/** Asks with the page's <dialog>; resolves true when the action was confirmed. */
export function confirmAction(message, actionLabel = 'Delete') {
  const dialog = $('confirm');
  $('confirm-text').textContent = message;
  $('confirm-ok').textContent = actionLabel;
  const opener = document.activeElement;
  return new Promise((resolve) => {
    dialog.addEventListener(
      'close',
      () => {
        resolve(dialog.returnValue === 'ok');
        // After the caller's continuation ran (it may have re-rendered or re-enabled the opener).
        setTimeout(() => {
          if (opener && opener.isConnected && !dialog.open) opener.focus();
        });
      },
      { once: true },
    );
    dialog.returnValue = '';
    dialog.showModal();
    $('confirm-cancel').focus();
  });
}

/** Tells screen readers something (the polite live region of the page). */
export function announce(text) {
  const region = $('announcer');
  region.textContent = '';
  // A new text node in the next frame, so that a repeated message is read again.
  requestAnimationFrame(() => {
    region.textContent = text;
  });
}

/** Shows a message in the page's status line (role=status) and announces it. */
export function notify(text, kind = 'ok') {
  const box = $('notice');
  box.textContent = text;
  box.className = `notice ${kind}`;
  box.hidden = !text;
}

/**
 * Replaces the main content and, after navigation (not on the first load of the page), moves
 * the focus to its heading, so that screen readers announce the new page.
 */
export function render(title, ...content) {
  const main = $('main');
  const heading = el('h1', { id: 'page-title', tabindex: '-1', text: title });
  main.replaceChildren(heading, ...content);
  document.title = `${title} · fwhub console`;
  if (document.body.dataset.ready === 'true') heading.focus();
  return main;
}

/** A definition list of [term, value] pairs (value: text or node). */
export function details(pairs) {
  return el('dl', { className: 'details' }, pairs.flatMap(([term, value]) => [el('dt', { text: term }), el('dd', {}, value ?? '')]));
}

/** A <section> with a heading (h2) and content; the heading labels the section. */
export function section(title, ...content) {
  const id = `s-${++fieldCounter}`;
  return el('section', { className: 'card', 'aria-labelledby': id }, el('h2', { id, text: title }), ...content);
}

/** A delete button that asks first, then runs `action`. */
export function deleteButton(label, question, action) {
  return el('button', {
    type: 'button',
    className: 'danger',
    text: label,
    onclick: async () => {
      if (!(await confirmAction(question))) return;
      try {
        await action();
      } catch (error) {
        notify(error.message, 'error');
      }
    },
  });
}
