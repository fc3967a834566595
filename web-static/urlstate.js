// Where the dashboard is, in its URL: the filters, the sort, the page size and the open tab, so a
// view can be bookmarked or shared and Back returns to the view before. Defaults are left out.
import { mode } from './batch.js';
import * as state from './state.js';

const LIMITS = [25, 50, 100];

/** Sets the state from the URL; answers the tab it names ('queue' when none). */
export function readUrl() {
  const p = new URLSearchParams(location.search);
  state.setFilters(Object.fromEntries(state.filterNames().map((key) => [key, p.get(key) ?? ''])));
  state.setSorting(p.get('sort'), p.get('order'));
  const limit = Number(p.get('limit'));
  state.setLimit(LIMITS.includes(limit) ? limit : 25);
  return p.get('tab') || 'queue';
}

function urlOf() {
  const q = state.query();
  const p = new URLSearchParams();
  for (const [key, value] of Object.entries(q.filters)) if (value) p.set(key, value);
  if (q.sort !== 'created') p.set('sort', q.sort);
  if (q.order !== 'desc') p.set('order', q.order);
  if (q.limit !== 25) p.set('limit', String(q.limit));
  if (mode() && mode() !== 'queue') p.set('tab', mode());
  const s = p.toString();
  return location.pathname + (s ? `?${s}` : '');
}

/** A new view: one more entry in the history, unless the URL already names it. */
export function writeUrl() {
  const next = urlOf();
  if (next !== location.pathname + location.search) history.pushState(null, '', next);
}
