// What the dashboard asks for (filters, sort, page size, keyset cursors), what it shows (the page's
// payouts), and what is selected for a batch with the results of the last ones. Module-private,
// read and changed through the functions below; each module keeps its own transient state (timers,
// a load in flight, the drawer) to itself.

const filters = { status: '', priority: '', method: '', since: '', approval: '', q: '' };
let sort = 'created';
let order = 'desc';
let limit = 25;
/** The cursor of each page visited so far (null: the first page), and which of them is shown. */
let cursors = [null];
let page = 0;
/** The cursor of the page after the one shown, or null when it is the last. */
let next = null;
/** The page's payouts by id, in the server's order. */
let rows = new Map();
/** Selected payouts by id, from any page, as last seen. */
const selected = new Map();
/** Batch results by payout id: {ok, status} or {ok: false, error}. */
const results = new Map();

/** True when a change stamped `at` is older than what is shown (stamped `than`). */
const isOlder = (at, than) => at && than && Date.parse(at) < Date.parse(than);

// ---------------------------------------------------------------- the query

/** What to ask /api/payouts for: filters (copied), sort, order, limit and the cursor of the page shown. */
export function query() {
  return { filters: { ...filters }, sort, order, limit, cursor: cursors[page] };
}

export function paging() {
  return { page, limit, hasPrevious: page > 0, hasNext: Boolean(next) };
}

function firstPage() {
  cursors = [null];
  page = 0;
}

/** New filter values (missing ones are cleared), from the first page on. */
export function setFilters(values) {
  for (const key of Object.keys(filters)) filters[key] = String(values[key] ?? '').trim();
  firstPage();
}

export const filterNames = () => Object.keys(filters);

/** A column's header was clicked: the same column turns its order around, another sorts descending. */
export function sortBy(key) {
  if (sort === key) order = order === 'asc' ? 'desc' : 'asc';
  else {
    sort = key;
    order = 'desc';
  }
  firstPage();
}

export const sorting = () => ({ sort, order });

const SORTS = ['created', 'amount', 'priority', 'status', 'days_pending'];

/** Sort and order as a bookmarked or shared view names them (unknown values: the defaults). */
export function setSorting(s, o) {
  sort = SORTS.includes(s) ? s : 'created';
  order = o === 'asc' ? 'asc' : 'desc';
  firstPage();
}

export const limitOf = () => limit;

export function setLimit(n) {
  limit = n;
  firstPage();
}

/** Back to the first page (the newest payouts, with the filters and sort as they are). */
export const toFirstPage = firstPage;

/** One page back; false when this is the first. */
export function toPreviousPage() {
  if (page === 0) return false;
  page -= 1;
  return true;
}

/** One page on, by the cursor of the page shown; false when it is the last. */
export function toNextPage() {
  if (!next) return false;
  cursors[page + 1] = next;
  page += 1;
  return true;
}

// ---------------------------------------------------------------- the page's payouts

/** A page arrived: its payouts, and the cursor of the page after it. */
export function showPage(items, nextCursor) {
  rows = new Map(items.map((p) => [p.id, p]));
  next = nextCursor ?? null;
}

export const payouts = () => [...rows.values()];
export const isShown = (id) => rows.has(id);
export const shownCount = () => rows.size;

/** A newer version of a payout on the page: it replaces the row, and the selection's copy. */
function put(p) {
  rows.set(p.id, p);
  if (selected.has(p.id)) selected.set(p.id, p);
}

/**
 * A payout from an answer (an action's, a row's or the drawer's fetch) merged into its row, unless the
 * row is not on this page or already holds a newer state. Returns the merged row, or null.
 */
export function mergePayout(p) {
  const current = rows.get(p.id);
  if (!current || isOlder(p.updatedAt, current.updatedAt)) return null;
  const merged = { ...current, ...p };
  put(merged);
  return merged;
}

/**
 * A pushed transition {payoutId, from, to, at, transactionId?, error?} of an existing payout: the
 * selection's copy and the row take its status, unless they already hold a newer one. Returns the
 * changed row, or null when the payout is not on this page or its row is newer.
 */
export function applyTransition(t) {
  const chosen = selected.get(t.payoutId);
  if (chosen && !isOlder(t.at, chosen.updatedAt)) selected.set(t.payoutId, { ...chosen, status: t.to, updatedAt: t.at });
  const p = rows.get(t.payoutId);
  if (!p || isOlder(t.at, p.updatedAt)) return null;
  const changed = {
    ...p,
    status: t.to,
    updatedAt: t.at,
    transactionId: t.transactionId ?? p.transactionId,
    errorCode: t.error ?? null,
    errorMessage: t.error && t.error === p.errorCode ? p.errorMessage : null,
  };
  put(changed);
  return changed;
}

// ---------------------------------------------------------------- the selection and batch results

export const isSelected = (id) => selected.has(id);
export const selectedCount = () => selected.size;
export const selectedPayouts = () => [...selected.values()];
/** How many of the page's payouts are selected, and how many it shows. */
export function selectedOnPage() {
  const onPage = [...rows.keys()];
  return { picked: onPage.filter((id) => selected.has(id)).length, shown: onPage.length };
}

export function select(p) {
  selected.set(p.id, rows.get(p.id) ?? p);
}

export function deselect(id) {
  selected.delete(id);
}

/** Every payout on the page selected, or none of them. */
export function selectPage(on) {
  for (const p of rows.values()) {
    if (on) selected.set(p.id, p);
    else selected.delete(p.id);
  }
}

export function clearSelection() {
  selected.clear();
}

export function addResults(list) {
  for (const r of list) results.set(r.id, r);
}

export const resultOf = (id) => results.get(id);

export function clearResults() {
  results.clear();
}
