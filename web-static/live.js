// The live channel over eventbus.js: connects (with the transports ?transports= asks for), registers
// for dashboard.payouts and dashboard.stats, shows its state in the top bar, and reloads what was
// missed when it is back after a drop or when the server says a batch was too large to send
// (at most every two seconds, however many such batches come).
import { fetchMe, toLogin } from './api.js';
import { $ } from './dom.js';
import { LiveChannel } from './eventbus.js';
import { count } from './format.js';
import { toast } from './toast.js';

const CONNECTION_LABELS = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' };
const RESYNC_EVERY_MS = 2000;

let channel = null;
let lastResync = 0;
let resyncTimer = null;
let resyncToastAt = 0;
let resumedToastAt = 0;

/**
 * Starts the channel. hooks: transition(t) for each pushed transition, stats(snapshot) for each
 * pushed snapshot, reload() to fetch again what is shown (the channel missed changes).
 */
export function startLive({ transition, stats, reload }) {
  channel = new LiveChannel('/eventbus', {
    onState: renderConnection,
    onResumed: () => {
      // Whatever happened while the channel was down was missed: reload what is shown.
      reload();
      if (Date.now() - resumedToastAt > 30000) {
        resumedToastAt = Date.now();
        toast('Live updates are back; the list and figures were reloaded.', 'ok');
      }
    },
    mayReconnect: async () => {
      const me = await fetchMe();
      if (me.status === 401) {
        toLogin();
        return false;
      }
      return true;
    },
  });
  // Pushes come coalesced: transitions in batches, a batch too large to send as a resync mark.
  channel.on('dashboard.payouts', (batch) => {
    for (const t of batch.transitions ?? []) transition(t);
    if (batch.resync) resync(batch.dropped, reload);
  }).on('dashboard.stats', stats);
  channel.start();
  $('#conn-retry').addEventListener('click', () => channel.reconnectNow());
}

export function stopLive() {
  channel?.stop();
}

/** Too many changes came at once to send each: reload what is shown, at most every two seconds. */
function resync(dropped, reload) {
  if (Date.now() - resyncToastAt > 15000) {
    resyncToastAt = Date.now();
    toast(`Many changes at once (${count(dropped)} not sent one by one): the list and figures were reloaded.`, 'info');
  }
  if (resyncTimer) return;
  const wait = Math.max(0, RESYNC_EVERY_MS - (Date.now() - lastResync));
  resyncTimer = setTimeout(() => {
    resyncTimer = null;
    lastResync = Date.now();
    reload();
  }, wait);
}

function renderConnection(state, detail = {}) {
  const box = $('#conn');
  box.dataset.state = state;
  const label = CONNECTION_LABELS[state] ?? state;
  if ($('#conn-label').textContent !== label) $('#conn-label').textContent = label;
  const waiting = state === 'reconnecting' && detail.inMs > 0;
  $('#conn-wait').textContent = waiting ? `next try in ${Math.ceil(detail.inMs / 1000)} s` : '';
  $('#conn-retry').hidden = !waiting;
  box.title = state === 'live' ? 'Changes appear as they happen' : 'Live updates are paused; the list may be out of date';
}
