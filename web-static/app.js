// The dashboard's entry: wires the modules together and starts them; it does nothing itself.
// No framework and no build step: each module is a native ES module, served as it is.
import { initActions } from './actions.js';
import { initBatch, setMode } from './batch.js';
import { initDrawer, payoutChanged } from './drawer.js';
import { applyFetched, applyPayout, applyTransition, initList, loadList, renderRows } from './list.js';
import { startLive, stopLive } from './live.js';
import { startSession } from './session.js';
import { loadStats, renderStats } from './stats.js';

async function main() {
  if (!await startSession({ signingOut: stopLive })) return;
  // What one module tells another, so that none of them imports the ones that use it.
  initActions({
    answered: (id, payout) => {
      if (payout) applyPayout(payout);
      payoutChanged(id);
    },
  });
  setMode('queue');
  initList();
  initBatch({ resultsChanged: renderRows });
  initDrawer({ fetched: applyFetched });
  const reload = () => {
    loadList();
    loadStats();
  };
  startLive({ transition: applyTransition, stats: renderStats, reload });
  await Promise.all([loadList(), loadStats()]);
}

main();
