// Toasts: short messages in the corner, at most five at a time. One that is not sticky closes itself.
import { $, el } from './dom.js';

/**
 * Shows a message (text, or parts: strings and elements) of a kind: info, ok, warn or error.
 * Returns a handle to change its text and kind (update) or to close it (close).
 */
export function toast(text, kind = 'info', { sticky = false } = {}) {
  const box = $('#toasts');
  const message = el('p', { class: 'toast-text' });
  const node = el('div', { class: 'toast', dataset: { kind } }, message,
    el('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss', onclick: () => node.remove() }, '✕'));
  const handle = {
    node,
    update(parts, nextKind = kind) {
      message.replaceChildren(...[parts].flat().map((p) => (p instanceof Node ? p : document.createTextNode(String(p)))));
      node.dataset.kind = nextKind;
    },
    close(afterMs = 0) {
      setTimeout(() => node.remove(), afterMs);
    },
  };
  handle.update(text, kind);
  box.append(node);
  while (box.children.length > 5) box.firstElementChild.remove();
  if (!sticky) handle.close(kind === 'error' ? 9000 : 5000);
  return handle;
}
