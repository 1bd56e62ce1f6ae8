// A log box that follows new lines like `tail -f` while the reader is at its end, and stays put
// when the reader scrolled up. Only the new text is appended (no re-render of a long log).
import { appendedText } from './logtext.js';

export function followLog(pre) {
  let shown = '';
  return {
    update(text) {
      const atEnd = pre.scrollHeight - pre.scrollTop - pre.clientHeight < 24;
      const added = appendedText(shown, text);
      if (added === null) pre.textContent = text;
      else if (added) pre.append(added);
      else return;
      shown = text;
      if (atEnd) pre.scrollTop = pre.scrollHeight;
    },
  };
}
