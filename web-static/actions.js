// A payout's action buttons (Approve, Reject, Process now, Retry), the reject dialog, and what an
// action does: the API call, its answer handed on, and a toast that follows the task it queued.
import { api } from './api.js';
import { $, $$, el } from './dom.js';
import { METHODS, approvalsEl, moneyText } from './format.js';
import { approvedByMe, mayAct } from './role.js';
import { followTask } from './tasks.js';
import { toast } from './toast.js';

export const VERBS = {
  approve: { busy: 'Approving…', done: 'approved' },
  reject: { busy: 'Rejecting…', done: 'rejected' },
  process: { busy: 'Queuing…', done: 'queued to be paid now' },
  retry: { busy: 'Retrying…', done: 'queued for a retry' },
};

/** answered(id, payout): an action on payout `id` succeeded; payout is its new state from the answer, if any. */
let hooks = { answered: () => {} };

export function initActions(given) {
  hooks = { ...hooks, ...given };
}

/** The buttons a payout's status allows, or a word on why there are none. */
export function actionsEl(p) {
  const note = approvalsEl(p);
  // A viewer gets no buttons at all: only what the payout waits for.
  if (!mayAct()) return el('div', { class: 'actions' }, note ?? el('span', { class: 'muted' }, '–'));
  const buttons = note ? [note] : [];
  const button = (action, label, css) => el('button', {
    type: 'button', class: `btn small ${css}`, dataset: { action }, 'aria-label': `${label} payout ${p.id}`,
    onclick: (e) => (action === 'reject' ? confirmReject(p, e.currentTarget) : act(p, action, e.currentTarget)),
  }, label);
  if (p.status === 'pending') {
    // A second approval must come from someone else: no Approve button for the first approver.
    if (!approvedByMe(p)) buttons.push(button('approve', (p.approvals ?? []).length ? 'Give 2nd approval' : 'Approve', 'primary'));
    buttons.push(button('reject', 'Reject', 'danger-ghost'));
  }
  if (p.status === 'approved') buttons.push(button('process', 'Process now', 'primary'));
  if (p.status === 'failed' && p.retryable !== false && p.holdsFunds !== false) buttons.push(button('retry', 'Retry', 'primary'));
  if (p.status === 'processing') buttons.push(el('span', { class: 'muted' }, 'at the gateway…'));
  if (p.status === 'needs_review') buttons.push(el('span', { class: 'muted' }, 'funds held for review'));
  if (p.status === 'returned') buttons.push(el('span', { class: 'muted' }, `returned${p.returnCode ? `: ${p.returnCode.replaceAll('_', ' ')}` : ''}`));
  return el('div', { class: 'actions' }, buttons.length ? buttons : el('span', { class: 'muted' }, '–'));
}

async function act(p, action, button, body) {
  const cell = button.closest('.actions');
  const buttons = cell ? $$('button', cell) : [button];
  const label = button.textContent;
  buttons.forEach((b) => { b.disabled = true; });
  button.textContent = VERBS[action].busy;
  try {
    const answer = await api(`/api/payouts/${p.id}/${action}`, { method: 'POST', body });
    hooks.answered(p.id, action === 'reject' ? answer : answer.payout);
    if (answer.taskId) followTask(answer.taskId, `Payout #${p.id} ${VERBS[action].done}`);
    else if (action === 'approve' && answer.payout?.status === 'pending') {
      toast(`Payout #${p.id}: approval ${answer.payout.approvals.length} of ${answer.payout.approvalsRequired} recorded; `
        + 'it needs another staff user\'s approval.', 'ok');
    } else toast(`Payout #${p.id} ${VERBS[action].done}; its funds are back in the user's balance.`, 'ok');
  } catch (e) {
    if (e.status !== 401) toast(`Could not ${action} payout #${p.id}: ${e.message}`, 'error');
    if (button.isConnected) {
      buttons.forEach((b) => { b.disabled = false; });
      button.textContent = label;
    }
  }
}

function confirmReject(p, button) {
  const dialog = $('#reject-dialog');
  const method = METHODS[p.method]?.label ?? p.method;
  $('#reject-what').textContent = `Payout #${p.id} to ${p.userEmail ?? `user ${p.userId}`}: ${moneyText(p.amount)} by ${method}. `
    + 'The held amount goes back to the user\'s balance. This cannot be undone.';
  $('#reject-reason').value = '';
  dialog.returnValue = 'cancel';
  dialog.addEventListener('close', () => {
    const reason = $('#reject-reason').value.trim();
    if (dialog.returnValue === 'reject') act(p, 'reject', button, reason ? { reason } : undefined);
    else if (button.isConnected) button.focus();
  }, { once: true });
  dialog.showModal();
  $('#reject-reason').focus();
}
