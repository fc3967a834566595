// The batch processor tab: the tabs themselves, the selection (boxes in the rows, the page's box),
// the preview of count, total and fees before applying, the apply, and each row's result.
import { VERBS } from './actions.js';
import { api } from './api.js';
import { $, $$, el } from './dom.js';
import { cents, count, money } from './format.js';
import * as state from './state.js';
import { followTask } from './tasks.js';
import { toast } from './toast.js';

/** The status a payout must have for each action; the others are refused. */
const NEEDS = { approve: 'pending', reject: 'pending', process: 'approved' };
/** An apply is under way; after one, the panel shows what was done until something new is selected. */
let applying = false;
let applied = false;
/** resultsChanged(): batch results were added or cleared (the rows show them). */
let hooks = { resultsChanged: () => {} };

export function initBatch(given) {
  hooks = { ...hooks, ...given };
  const tabs = $$('[role="tab"]');
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => setMode(tab.id.replace('tab-', '')));
    tab.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
      const next = tabs[(i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
      next.focus();
      setMode(next.id.replace('tab-', ''));
    });
  });
  $('#batch-preview').addEventListener('click', openPreview);
  $('#batch-action').addEventListener('change', () => {
    if (!$('#preview').hidden) openPreview();
  });
  $('#batch-apply').addEventListener('click', applyBatch);
  $('#batch-cancel').addEventListener('click', closePreview);
  $('#batch-clear').addEventListener('click', () => {
    state.clearSelection();
    state.clearResults();
    hooks.resultsChanged();
    $('#preview').hidden = true;
  });
  $('#select-page').addEventListener('change', (e) => {
    state.selectPage(e.target.checked);
    for (const box of $$('#rows .col-select input')) box.checked = e.target.checked;
    selectionChanged();
  });
}

/** The queue, the batch or the dead-letter tab; tells whoever listens ('modechange' on document). */
export function setMode(mode) {
  if (!['queue', 'batch', 'dead'].includes(mode)) mode = 'queue';
  const changed = document.body.dataset.mode !== mode;
  document.body.dataset.mode = mode;
  for (const tab of $$('[role="tab"]')) {
    const on = tab.id === `tab-${mode}`;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
  }
  $('#panel').setAttribute('aria-labelledby', `tab-${mode === 'dead' ? 'queue' : mode}`);
  $('#panel').hidden = mode === 'dead';
  $('#dead-view').hidden = mode !== 'dead';
  $('#batchbar').hidden = mode !== 'batch';
  if (mode !== 'batch') $('#preview').hidden = true;
  if (changed) document.dispatchEvent(new CustomEvent('modechange', { detail: { mode } }));
}

export const mode = () => document.body.dataset.mode;

/** A row's box was ticked or cleared. */
export function toggleSelected(p, on) {
  if (on) state.select(p);
  else state.deselect(p.id);
  selectionChanged();
}

/** The selection, or the rows it is shown against, changed: show it, and keep an open preview current. */
export function selectionChanged() {
  if (applied && state.selectedCount() > 0) applied = false;
  renderSelection();
  if (!$('#preview').hidden && !applying && !applied) openPreview({ focus: false });
}

/** A row's batch result: ✓ and its new status, or ✗ and why it was refused; nothing before a batch. */
export function resultEl(id) {
  const r = state.resultOf(id);
  if (!r) return '';
  return r.ok
    ? el('span', { class: 'result ok' }, `✓ ${r.status ?? 'done'}`)
    : el('span', { class: 'result refused' }, `✗ ${r.error ?? 'refused'}`);
}

function renderSelection() {
  const { picked, shown } = state.selectedOnPage();
  const all = $('#select-page');
  all.checked = shown > 0 && picked === shown;
  all.indeterminate = picked > 0 && picked < shown;
  const total = state.selectedCount();
  const elsewhere = total - picked;
  $('#batch-selected').textContent = total === 0
    ? 'Nothing selected'
    : `${count(total)} selected${elsewhere > 0 ? ` (${count(elsewhere)} on other pages)` : ''}`;
  $('#batch-preview').disabled = total === 0;
}

function previewFigures() {
  const action = $('#batch-action').value;
  const items = state.selectedPayouts();
  const eligible = items.filter((p) => p.status === NEEDS[action]);
  let total = 0n;
  let fees = 0n;
  for (const p of eligible) {
    total += cents(p.amount);
    fees += cents(p.fee);
  }
  return { action, items, eligible, total, fees };
}

function actionName() {
  return $('#batch-action').selectedOptions[0].textContent.toLowerCase();
}

function renderPreview() {
  const { action, items, eligible, total, fees } = previewFigures();
  $('#preview').hidden = false;
  $('#preview-title').textContent = `Preview: ${actionName()}`;
  $('#preview-count').textContent = count(eligible.length);
  $('#preview-total').textContent = money(total);
  $('#preview-fees').textContent = action === 'reject' ? '0.00' : money(fees);
  $('#preview-net').textContent = action === 'reject' ? '0.00' : money(total - fees);
  const refused = items.length - eligible.length;
  const notes = [];
  if (action === 'reject') notes.push(`${money(total)} goes back to the users' balances.`);
  if (action === 'approve') notes.push('Approved payouts are paid in the background; their rows follow live.');
  if (refused > 0) notes.push(`${count(refused)} of the selected ${refused === 1 ? 'is' : 'are'} not ${NEEDS[action]} and will be refused.`);
  $('#preview-note').textContent = notes.join(' ');
  $('#batch-apply').disabled = eligible.length === 0;
  $('#batch-apply').textContent = `Apply to ${count(eligible.length)}`;
}

function openPreview({ focus = true } = {}) {
  applied = false;
  $('#batch-summary').textContent = '';
  $('#batch-apply').hidden = false;
  $('#batch-cancel').textContent = 'Cancel';
  renderPreview();
  if (focus) $('#batch-apply').focus();
}

function closePreview() {
  applied = false;
  $('#preview').hidden = true;
  $('#batch-summary').textContent = '';
  $('#batch-preview').focus();
}

async function applyBatch() {
  const { action, items } = previewFigures();
  if (items.length === 0) return;
  if (items.length > 1000) {
    toast('At most 1,000 payouts per batch: select fewer.', 'error');
    return;
  }
  applying = true;
  const apply = $('#batch-apply');
  apply.disabled = true;
  apply.textContent = 'Applying…';
  try {
    const answer = await api('/api/payouts/batch', { method: 'POST', body: { action, ids: items.map((p) => p.id) } });
    state.addResults(answer.results);
    const ok = answer.results.filter((r) => r.ok).length;
    const refused = answer.results.filter((r) => !r.ok);
    const summary = [`${count(ok)} ${VERBS[action].done}${refused.length ? `, ${count(refused.length)} refused` : ''}.`];
    const offPage = refused.filter((r) => !state.isShown(r.id));
    if (offPage.length) {
      summary.push(' Refused on other pages: ', offPage.slice(0, 5).map((r) => `#${r.id} (${r.error})`).join(', '));
      if (offPage.length > 5) summary.push(` and ${count(offPage.length - 5)} more`);
    }
    $('#batch-summary').textContent = summary.join('');
    $('#preview-title').textContent = `Applied: ${actionName()}`;
    applied = true;
    state.clearSelection();
    hooks.resultsChanged();
    followTask(answer.taskId, `Batch: ${count(ok)} ${VERBS[action].done}`);
    $('#batch-apply').hidden = true;
    $('#batch-cancel').textContent = 'Close';
  } catch (e) {
    if (e.status !== 401) toast(`The batch was not applied: ${e.message}`, 'error');
    apply.disabled = false;
    apply.textContent = 'Apply';
  } finally {
    applying = false;
  }
}
