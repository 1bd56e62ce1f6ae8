// The WAI-ARIA combobox pattern for a text input with a listbox of suggestions: arrow keys move
// the active option (aria-activedescendant), Enter picks it, Escape closes (a second Escape
// clears the input), mouse and touch pick with a click.

let counter = 0;

export class Combobox {
  /**
   * @param {HTMLInputElement} input  role=combobox, aria-controls = the listbox
   * @param {HTMLElement} listbox     role=listbox
   * @param {object} options
   *   items(query) → array of items (rendered in this order)
   *   render(item, li) → fills the option element
   *   onPick(item)  → called when an item is chosen
   *   onEnter(query) → Enter without an active option; return true when handled
   *   onResults(items, query) → after every update (for status texts)
   *   enterPicksFirst: Enter without an active option picks the first item
   */
  constructor(input, listbox, options) {
    this.input = input;
    this.listbox = listbox;
    this.options = options;
    this.items = [];
    this.active = -1;
    this.prefix = `cb${++counter}-opt`;
    input.addEventListener('input', () => this.update());
    input.addEventListener('keydown', (event) => this.keydown(event));
    input.addEventListener('blur', () => setTimeout(() => this.close(), 120));
    input.addEventListener('focus', () => {
      if (input.value.trim()) this.update();
    });
    listbox.addEventListener('mousedown', (event) => event.preventDefault());
    listbox.addEventListener('click', (event) => {
      const option = event.target.closest('[role="option"]');
      if (option) this.pick(Number(option.dataset.index));
    });
  }

  update() {
    const query = this.input.value;
    this.items = query.trim() ? this.options.items(query) : [];
    this.active = -1;
    this.listbox.replaceChildren();
    this.items.forEach((item, index) => {
      const li = document.createElement('li');
      li.id = `${this.prefix}${index}`;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      li.dataset.index = String(index);
      this.options.render(item, li);
      this.listbox.append(li);
    });
    this.setOpen(this.items.length > 0);
    this.input.removeAttribute('aria-activedescendant');
    if (this.options.onResults) this.options.onResults(this.items, query);
  }

  setOpen(open) {
    this.listbox.hidden = !open;
    this.input.setAttribute('aria-expanded', open ? 'true' : 'false');
  }

  close() {
    this.setOpen(false);
    this.active = -1;
    this.input.removeAttribute('aria-activedescendant');
  }

  move(delta) {
    if (!this.items.length) return;
    if (this.listbox.hidden) this.setOpen(true);
    let next = this.active + delta;
    if (next < 0) next = this.items.length - 1;
    if (next >= this.items.length) next = 0;
    this.setActive(next);
  }

  setActive(index) {
    const previous = this.listbox.children[this.active];
    if (previous) previous.setAttribute('aria-selected', 'false');
    this.active = index;
    const option = this.listbox.children[index];
    if (option) {
      option.setAttribute('aria-selected', 'true');
      this.input.setAttribute('aria-activedescendant', option.id);
      option.scrollIntoView({ block: 'nearest' });
    }
  }

  pick(index) {
    const item = this.items[index];
    if (item === undefined) return;
    this.close();
    this.options.onPick(item);
  }

  keydown(event) {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (this.listbox.hidden && !this.items.length) this.update();
        this.move(1);
        break;
      case 'ArrowUp':
        event.preventDefault();
        this.move(-1);
        break;
      case 'Home':
      case 'End':
        if (!this.listbox.hidden && this.items.length && event.ctrlKey) {
          event.preventDefault();
          this.setActive(event.key === 'Home' ? 0 : this.items.length - 1);
        }
        break;
      case 'Enter':
        if (this.active >= 0 && !this.listbox.hidden) {
          event.preventDefault();
          this.pick(this.active);
        } else if (this.options.onEnter && this.options.onEnter(this.input.value)) {
          event.preventDefault();
          this.close();
        } else if (this.options.enterPicksFirst && this.items.length) {
          event.preventDefault();
          this.pick(0);
        }
        break;
      case 'Escape':
        if (!this.listbox.hidden) {
          event.preventDefault();
          this.close();
        } else if (this.input.value) {
          event.preventDefault();
          this.input.value = '';
          this.update();
        }
        break;
      case 'Tab':
        this.close();
        break;
      default:
        break;
    }
  }
}
