// Log text arithmetic, pure: what was appended to a log since the text already shown.

/** The appended part of `next` over `shown`; '' when equal; null when `next` does not extend it. */
export function appendedText(shown, next) {
  if (next === shown) return '';
  if (next.startsWith(shown)) return next.slice(shown.length);
  return null;
}
