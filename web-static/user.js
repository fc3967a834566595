// A user's page: balances, the ledger, the payouts and the returns, and the switch of their payouts
// (a reason is required; every switch is audited and listed here), so an operator can switch a
// user back on after a return without a script.
import { api } from './api.js';
import { $, el } from './dom.js';
import { actorText, amountEl, badge, methodEl, moneyText, signed, when } from './format.js';
import { startSession } from './session.js';
import { toast } from './toast.js';

const id = new URLSearchParams(location.search).get('id');
let user = null;

async function main() {
  if (!await startSession({ signingOut: () => {} })) return;
  if (!/^\d{1,18}$/.test(id ?? '')) {
    toast('No user named: open this page from a payout row.', 'error', { sticky: true });
    return;
  }
  $('#elig-form').addEventListener('submit', switchEligibility);
  $('#user-export').href = `/api/payouts/export.csv?user=${id}`;
  await Promise.all([loadUser(), loadHistory(), loadPayouts(), loadLedger()]);
}

async function loadUser() {
  try {
    user = await api(`/api/users/${id}`);
  } catch (e) {
    if (e.status !== 401) toast(`Could not load user ${id}: ${e.message}`, 'error', { sticky: true });
    return;
  }
  document.title = `${user.email} · Payouts`;
  $('#user-name').textContent = user.name;
  $('#user-email').textContent = user.email;
  $('#user-available').textContent = moneyText(user.available);
  $('#user-held').textContent = moneyText(user.held);
  $('#user-eligible').textContent = user.eligible ? 'switched on' : 'switched off';
  $('#user-eligible').dataset.eligible = String(user.eligible);
  $('#user-reason').textContent = user.eligibilityReason ?? '';
  $('#elig-switch').textContent = user.eligible ? 'Switch payouts off' : 'Switch payouts on';
  $('#elig-switch').className = user.eligible ? 'btn danger' : 'btn primary';
}

async function switchEligibility(e) {
  e.preventDefault();
  const reason = $('#elig-reason').value.trim();
  $('#elig-error').textContent = '';
  if (!reason) {
    $('#elig-error').textContent = 'A reason is required: it is kept in the audit trail.';
    $('#elig-reason').focus();
    return;
  }
  try {
    await api(`/api/users/${id}/eligibility`, { method: 'POST', body: { eligible: !user.eligible, reason } });
    $('#elig-reason').value = '';
    toast(`Payouts of ${user.email} switched ${user.eligible ? 'off' : 'on'}`, 'ok');
  } catch (err) {
    $('#elig-error').textContent = err.message;
  }
  await Promise.all([loadUser(), loadHistory()]);
}

async function loadHistory() {
  try {
    const data = await api(`/api/users/${id}/eligibility`);
    $('#elig-history').replaceChildren(...data.items.map((h) => el('li', { dataset: { eligible: String(h.eligible) } },
      `${when(h.at)}: switched ${h.eligible ? 'on' : 'off'} by ${actorText(h.actor)}`, h.reason ? ` (${h.reason})` : '')));
  } catch (e) {
    if (e.status !== 401) toast(`Could not load the eligibility history: ${e.message}`, 'error');
  }
}

async function loadPayouts() {
  try {
    const [all, returned] = await Promise.all([
      api(`/api/payouts?user=${id}&limit=100`), api(`/api/payouts?user=${id}&status=returned&limit=100`)]);
    $('#payout-rows').replaceChildren(...all.items.map((p) => el('tr', { dataset: { id: p.id } },
      el('td', { class: 'mono' }, `#${p.id}`), el('td', { class: 'num' }, amountEl(p.amount)),
      el('td', {}, methodEl(p.method)), el('td', {}, badge(p.status)), el('td', {}, when(p.createdAt)))));
    $('#returns-rows').replaceChildren(...returned.items.map((p) => el('tr', { dataset: { id: p.id } },
      el('td', { class: 'mono' }, `#${p.id}`), el('td', { class: 'num' }, amountEl(p.amount)),
      el('td', {}, (p.returnCode ?? '').replaceAll('_', ' ')), el('td', {}, when(p.returnedAt)))));
    $('#returns-empty').hidden = returned.items.length > 0;
  } catch (e) {
    if (e.status !== 401) toast(`Could not load the payouts: ${e.message}`, 'error');
  }
}

async function loadLedger() {
  try {
    const data = await api(`/api/users/${id}/ledger`);
    $('#ledger-rows').replaceChildren(...data.items.map((l) => el('tr', { dataset: { kind: l.kind } },
      el('td', { class: 'mono' }, String(l.id)), el('td', {}, l.kind), el('td', {}, l.payoutId ? `#${l.payoutId}` : '–'),
      el('td', { class: 'num' }, signed(l.availableDelta)), el('td', { class: 'num' }, signed(l.heldDelta)),
      el('td', {}, l.reason ?? ''), el('td', {}, when(l.at)))));
  } catch (e) {
    if (e.status !== 401) toast(`Could not load the ledger: ${e.message}`, 'error');
  }
}

main();
