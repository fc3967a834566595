// The detail drawer: one payout's facts, its actions, its audit trail and its ledger rows. It fetches
// the payout when opened and again (shortly after) when the payout changes while it is open.
import { actionsEl } from './actions.js';
import { api } from './api.js';
import { $, $$, el } from './dom.js';
import { actorText, amountEl, badge, methodEl, moneyText, priorityEl, reasonBadges, signed, when } from './format.js';

/** The payout shown, {id, opener}, or null when the drawer is closed. */
let open = null;
let refreshTimer = null;
/** fetched(payout): the drawer fetched a payout, newer than the list may have. */
let hooks = { fetched: () => {} };

export function initDrawer(given) {
  hooks = { ...hooks, ...given };
  $('#drawer-close').addEventListener('click', closeDrawer);
  $('#backdrop').addEventListener('click', closeDrawer);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && open && !$('#reject-dialog').open) {
      e.preventDefault();
      closeDrawer();
    }
    trapFocus(e);
  });
}

/** Opens the drawer on a payout; `opener` gets the focus back when it closes. */
export async function openDrawer(id, opener) {
  open = { id, opener };
  $('#backdrop').hidden = false;
  document.body.classList.add('drawer-open');
  $('#drawer').hidden = false;
  $('#drawer-title').textContent = `Payout #${id}`;
  $('#drawer-body').replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
  $('#drawer-close').focus();
  await refresh();
}

/** The payout changed: if the drawer shows it, fetch it again shortly (changes come in bursts). */
export function payoutChanged(id) {
  if (open?.id !== id) return;
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, 300);
}

async function refresh() {
  const shown = open;
  if (!shown) return;
  try {
    const p = await api(`/api/payouts/${shown.id}`);
    if (open !== shown) return;
    $('#drawer-body').replaceChildren(...drawerBody(p));
    hooks.fetched(p);
  } catch (e) {
    if (open === shown) $('#drawer-body').replaceChildren(el('p', { class: 'error' }, e.message));
  }
}

function closeDrawer() {
  if (!open) return;
  const { id, opener } = open;
  open = null;
  $('#drawer').hidden = true;
  $('#backdrop').hidden = true;
  document.body.classList.remove('drawer-open');
  // the row may have been redrawn meanwhile: return to the same payout's button
  const target = opener?.isConnected ? opener : $(`#rows tr[data-id="${id}"] .col-id button`);
  target?.focus();
}

/** The drawer's content for a payout: facts, actions, audit trail, ledger. */
function drawerBody(p) {
  const fact = (label, value, css) => el('div', { class: 'fact' }, el('dt', {}, label), el('dd', { class: css }, value ?? '–'));
  const error = p.errorCode ? `${p.errorCode}${p.errorMessage ? `: ${p.errorMessage}` : ''}` : null;
  const facts = el('dl', { class: 'facts' },
    fact('Status', badge(p.status)),
    fact('User', el('a', { href: `/user.html?id=${encodeURIComponent(p.userId)}`, class: 'user-link' },
      p.userEmail ?? `user ${p.userId}`)),
    fact('Amount', amountEl(p.amount)),
    fact('Fee', moneyText(p.fee), 'tabular'),
    fact('Net to user', moneyText(p.netAmount), 'tabular'),
    fact('Method', methodEl(p.method)),
    fact('Priority', priorityEl(p.priority)),
    fact('Transaction id', p.transactionId, 'mono'),
    fact('Error', error, error ? 'error' : ''),
    fact('Retries', p.status === 'failed' || p.retryCount
      ? `${p.retryCount ?? 0} so far${p.retryable ? ', retryable' : p.errorCode ? ', not retryable' : ''}` : null),
    fact('Next retry', p.nextRetryAt ? when(p.nextRetryAt) : null),
    fact('Approvals', approvalsText(p)),
    (p.reviewReasons ?? []).length ? fact('Review', reasonBadges(p)) : null,
    fact('Funds held', p.holdsFunds ? 'yes' : 'no'),
    fact('Created', when(p.createdAt)),
    fact('Last change', when(p.updatedAt)),
    p.notes ? fact('Notes', p.notes) : null,
    p.rejectionReason ? fact('Rejection reason', p.rejectionReason) : null,
    p.returnCode ? fact('Returned by the bank', `${p.returnCode.replaceAll('_', ' ')}, ${when(p.returnedAt)}`) : null);

  const events = (p.events ?? []).map((e) => el('tr', {},
    el('td', { class: 'nowrap' }, when(e.at)),
    el('td', {}, e.from ? badge(e.from) : el('span', { class: 'muted' }, 'new'), ' → ', badge(e.to)),
    el('td', { class: 'break', title: e.actor ?? '' }, actorText(e.actor)),
    el('td', { class: 'break' }, e.detail ?? '')));
  const ledger = (p.ledger ?? []).map((l) => el('tr', {},
    el('td', { class: 'nowrap' }, when(l.at)),
    el('td', {}, l.kind),
    el('td', { class: 'num' }, moneyText(l.amount)),
    el('td', { class: 'num' }, signed(l.availableDelta)),
    el('td', { class: 'num' }, signed(l.heldDelta)),
    el('td', { class: 'break' }, l.reason ?? '')));
  const table = (caption, heads, rows, empty) => (rows.length
    ? el('table', { class: 'mini' }, el('caption', {}, caption),
      el('thead', {}, el('tr', {}, heads.map((h) => el('th', { scope: 'col', class: h.css ?? '' }, h.label ?? h)))),
      el('tbody', {}, rows))
    : el('p', { class: 'muted' }, empty));

  const actions = actionsEl(p);
  return [
    facts,
    $('button', actions) ? el('div', { class: 'drawer-actions' }, actions) : null,
    el('h3', {}, 'Audit trail'),
    table('Status changes, oldest first', ['When', 'Change', 'By', 'Detail'], events, 'No status changes recorded.'),
    el('h3', {}, 'Ledger'),
    table('Balance movements of this payout', ['When', 'Kind', { label: 'Amount', css: 'num' },
      { label: 'Available', css: 'num' }, { label: 'Held', css: 'num' }, 'Reason'], ledger, 'No ledger rows.'),
  ].filter(Boolean);
}

/** "1 of 2: ann@example.com (2026-12-02 07:10:00)", or null before any approval of a payout needing one. */
function approvalsText(p) {
  const given = p.approvals ?? [];
  const required = p.approvalsRequired ?? 1;
  if (given.length === 0) return required > 1 ? `0 of ${required}` : null;
  return `${given.length} of ${required}: ${given.map((a) => `${actorText(a.actor)} (${when(a.at)})`).join(', ')}`;
}

/** Tab and Shift+Tab stay inside the open drawer. */
function trapFocus(e) {
  const drawer = $('#drawer');
  if (drawer.hidden || e.key !== 'Tab') return;
  const focusable = $$('button:not([disabled]), a[href], input, select, [tabindex="0"]', drawer).filter((x) => x.offsetParent !== null);
  if (focusable.length === 0) return;
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (!drawer.contains(document.activeElement)) {
    e.preventDefault();
    first.focus();
  } else if (e.shiftKey && document.activeElement === first) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && document.activeElement === last) {
    e.preventDefault();
    first.focus();
  }
}
