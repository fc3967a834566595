// The reconciliation card: the last result of comparing the payouts with the gateway's own report,
// and a button that runs it again.
import { api } from './api.js';
import { $ } from './dom.js';
import { count, when } from './format.js';
import { toast } from './toast.js';

export function initReconciliation() {
  $('#rec-run').addEventListener('click', async () => {
    $('#rec-run').disabled = true;
    try {
      show(await api('/api/reconciliation'));
    } catch (e) {
      if (e.status !== 401) toast(`Reconciliation failed: ${e.message}`, 'error');
    } finally {
      $('#rec-run').disabled = false;
    }
  });
}

export async function loadReconciliation() {
  try {
    show(await api('/api/reconciliation/last'));
  } catch (e) {
    if (e.status !== 401) toast(`Could not load the last reconciliation: ${e.message}`, 'error');
  }
}

function show(r) {
  const result = $('#rec-result');
  if (!r?.at) {
    result.textContent = 'Not run yet';
    result.dataset.clean = '';
    return;
  }
  const m = r.mismatches ?? { count: 0, byKind: {} };
  result.dataset.clean = String(r.clean);
  result.textContent = r.clean ? `Clean: ${count(r.payouts)} payouts match`
    : `${count(m.count)} mismatches: ${Object.entries(m.byKind ?? {}).map(([k, n]) => `${k.replaceAll('_', ' ')} ${n}`).join(', ')}`;
  $('#rec-when').textContent = `at ${when(r.at)}${r.since ? ` (since ${when(r.since)})` : ''}`;
}
