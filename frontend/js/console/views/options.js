// The sysupgrade options of an upgrade (device firmware and mass upgrades): a fieldset of
// checkboxes and the object the API takes.
import { el, field } from '../dom.js';

export const OPTIONS = [
  ['c', 'Keep changed configuration files (-c)', true],
  ['o', 'Keep all changed files (-o)', false],
  ['n', 'Do not keep any configuration (-n)', false],
  ['u', 'Skip files equal to the defaults (-u)', false],
  ['p', 'Do not attempt to restore the partition table (-p)', false],
  ['k', 'Include the list of installed packages (-k)', false],
  ['F', 'Force the flash even if the image checks fail (-F)', false],
];

export function optionsFieldset() {
  return el('fieldset', { className: 'options' }, el('legend', { text: 'sysupgrade options' }), OPTIONS.map(([key, label, value]) => field(`opt_${key}`, label, { kind: 'checkbox', value })));
}

/** {c, o, n, u, p, k, F} of the fieldset inside `root`. */
export function readOptions(root) {
  const options = {};
  for (const [key] of OPTIONS) options[key] = root.querySelector(`input[name="opt_${key}"]`).checked;
  return options;
}
