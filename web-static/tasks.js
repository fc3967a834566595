// Following a background task: its id in a toast, polled until it succeeded, failed or died.
import { api } from './api.js';
import { el } from './dom.js';
import { toast } from './toast.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const DELAYS_MS = [300, 500, 800, 1200, 2000];
const GIVE_UP_MS = 120000;

/** Shows a task's id and follows it until it succeeded, failed or died. */
export async function followTask(taskId, title) {
  const id = el('code', { class: 'task-id' }, taskId);
  const t = toast([`${title} · task `, id, ' queued'], 'info', { sticky: true });
  t.node.dataset.task = taskId;
  const started = Date.now();
  for (let i = 0; Date.now() - started < GIVE_UP_MS; i++) {
    await sleep(DELAYS_MS[Math.min(i, DELAYS_MS.length - 1)]);
    let task;
    try {
      task = await api(`/api/tasks/${encodeURIComponent(taskId)}`);
    } catch (e) {
      if (e.status === 404) {
        t.update([`${title} · task `, id, ' is no longer known'], 'warn');
        t.close(8000);
        return;
      }
      continue;
    }
    t.node.dataset.state = task.state;
    if (task.state === 'succeeded') {
      const r = task.result ?? {};
      const outcome = r.status ? ` · payout ${r.status}${r.errorCode ? ` (${r.errorCode})` : ''}` : '';
      t.update([`${title} · task `, id, ` succeeded${outcome}`], r.status === 'failed' || r.status === 'needs_review' ? 'warn' : 'ok');
      t.close(7000);
      return;
    }
    if (task.state === 'failed' || task.state === 'dead') {
      t.update([`${title} · task `, id, ` ${task.state}${task.error ? `: ${task.error}` : ''}`], 'error');
      t.close(12000);
      return;
    }
    t.update([`${title} · task `, id, ` ${task.state}`], 'info');
  }
  t.update([`${title} · task `, id, ' is still running; see the payout for its outcome'], 'warn');
  t.close(8000);
}
