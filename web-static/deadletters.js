// The dead-letter tab: jobs the queue gave up on (job, payout, error, attempts, when), requeued or
// dropped one at a time, or requeued in bulk after a preview that lists exactly what will go back.
import { api } from './api.js';
import { $, $$, el } from './dom.js';
import { when } from './format.js';
import { toast } from './toast.js';

/** The dead jobs shown, by id, and the ones ticked. */
let shown = new Map();
const ticked = new Set();

export function initDeadLetters() {
  $('#dead-reload').addEventListener('click', loadDeadLetters);
  $('#dead-preview').addEventListener('click', preview);
  $('#dead-cancel').addEventListener('click', () => { $('#dead-confirm').hidden = true; });
  $('#dead-apply').addEventListener('click', requeueTicked);
  $('#dead-select-all').addEventListener('change', (e) => {
    ticked.clear();
    if (e.target.checked) for (const id of shown.keys()) ticked.add(id);
    for (const box of $$('#dead-rows input[type="checkbox"]')) box.checked = e.target.checked;
    selectionChanged();
  });
}

export async function loadDeadLetters() {
  try {
    const data = await api('/api/jobs/dead?limit=500');
    shown = new Map(data.items.map((d) => [d.id, d]));
    for (const id of [...ticked]) if (!shown.has(id)) ticked.delete(id);
    $('#dead-rows').replaceChildren(...data.items.map(rowEl));
    $('#dead-empty').hidden = data.items.length > 0;
    $('#dead-select-all').checked = false;
    selectionChanged();
  } catch (e) {
    if (e.status !== 401) toast(`Could not load the dead jobs: ${e.message}`, 'error');
  }
}

const payoutOf = (d) => (d.payoutId != null ? `#${d.payoutId}` : Array.isArray(d.payoutIds) ? d.payoutIds.map((i) => `#${i}`).join(' ') : '–');

function rowEl(d) {
  const box = el('input', { type: 'checkbox', 'aria-label': `Select dead job ${d.id}` });
  box.checked = ticked.has(d.id);
  box.addEventListener('change', () => {
    if (box.checked) ticked.add(d.id);
    else ticked.delete(d.id);
    selectionChanged();
  });
  return el('tr', { dataset: { job: d.id } },
    el('td', { class: 'col-select' }, box),
    el('td', { class: 'mono', title: d.id }, d.id.slice(0, 8)),
    el('td', {}, d.type),
    el('td', {}, payoutOf(d)),
    el('td', { class: 'dead-error' }, d.error ?? '–'),
    el('td', { class: 'num' }, `${d.attempts}/${d.maxAttempts}`),
    el('td', {}, when(d.diedAt)),
    el('td', {},
      el('button', { type: 'button', class: 'btn ghost small', dataset: { action: 'requeue' }, onclick: () => requeue([d.id]) }, 'Requeue'),
      el('button', { type: 'button', class: 'btn ghost small', dataset: { action: 'delete' }, onclick: () => drop(d.id) }, 'Delete')));
}

function selectionChanged() {
  $('#dead-selected').textContent = ticked.size ? `${ticked.size} selected` : 'Nothing selected';
  $('#dead-preview').disabled = ticked.size === 0;
  if (!$('#dead-confirm').hidden) preview();
}

/** What the bulk requeue will put back, job by job, before it does. */
function preview() {
  const items = [...ticked].map((id) => shown.get(id)).filter(Boolean);
  $('#dead-confirm-list').replaceChildren(...items.map((d) =>
    el('li', { dataset: { job: d.id } }, `${d.type} for payout ${payoutOf(d)} (job ${d.id.slice(0, 8)}, ${d.attempts} attempts: ${d.error ?? 'no error'})`)));
  $('#dead-confirm-title').textContent = `Requeue ${items.length} job${items.length === 1 ? '' : 's'}`;
  $('#dead-confirm').hidden = items.length === 0;
}

async function requeueTicked() {
  await requeue([...ticked]);
  $('#dead-confirm').hidden = true;
}

async function requeue(ids) {
  let ok = 0;
  const failed = [];
  for (const id of ids) {
    try {
      await api(`/api/jobs/dead/${encodeURIComponent(id)}/requeue`, { method: 'POST' });
      ok += 1;
      ticked.delete(id);
    } catch (e) {
      failed.push(`${id.slice(0, 8)}: ${e.message}`);
    }
  }
  $('#dead-summary').textContent = `Requeued ${ok} of ${ids.length}${failed.length ? `; ${failed.join('; ')}` : ''}`;
  await loadDeadLetters();
}

async function drop(id) {
  try {
    await api(`/api/jobs/dead/${encodeURIComponent(id)}`, { method: 'DELETE' });
    ticked.delete(id);
    $('#dead-summary').textContent = `Deleted job ${id.slice(0, 8)}`;
  } catch (e) {
    toast(`Could not delete job ${id.slice(0, 8)}: ${e.message}`, 'error');
  }
  await loadDeadLetters();
}
