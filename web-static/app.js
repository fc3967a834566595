// The dashboard's entry: wires the modules together and starts them; it does nothing itself.
// No framework and no build step: each module is a native ES module, served as it is.
import { initActions } from './actions.js';
import { initBatch, setMode } from './batch.js';
import { initDeadLetters, loadDeadLetters } from './deadletters.js';
import { initDrawer, payoutChanged } from './drawer.js';
import { applyFetched, applyPayout, applyTransition, initList, loadList, renderRows, showFilters } from './list.js';
import { startLive, stopLive } from './live.js';
import { initReconciliation, loadReconciliation } from './reconcile.js';
import { startSession } from './session.js';
import { loadStats, renderStats } from './stats.js';
import { readUrl, writeUrl } from './urlstate.js';

async function main() {
  if (!await startSession({ signingOut: stopLive })) return;
  // What one module tells another, so that none of them imports the ones that use it.
  initActions({
    answered: (id, payout) => {
      if (payout) applyPayout(payout);
      payoutChanged(id);
    },
  });
  const tab = readUrl();
  setMode(tab);
  initList({ listed: writeUrl });
  showFilters();
  initBatch({ resultsChanged: renderRows });
  initDrawer({ fetched: applyFetched });
  initDeadLetters();
  initReconciliation();
  document.addEventListener('modechange', (e) => {
    writeUrl();
    if (e.detail.mode === 'dead') loadDeadLetters();
  });
  // Back and Forward: the view the URL names, as it was.
  window.addEventListener('popstate', () => {
    const named = readUrl();
    showFilters();
    setMode(named);
    loadList();
  });
  const reload = () => {
    loadList();
    loadStats();
  };
  startLive({ transition: applyTransition, stats: renderStats, reload });
  await Promise.all([loadList(), loadStats(), loadReconciliation(), tab === 'dead' ? loadDeadLetters() : null]);
}

main();
