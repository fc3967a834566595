// The payout list: filters, search, sortable columns, keyset paging, and rows that change in place
// as payouts change (pushed transitions, action answers, fresh fetches).
import { actionsEl } from './actions.js';
import { api } from './api.js';
import { resultEl, selectionChanged, toggleSelected } from './batch.js';
import { $, $$, el } from './dom.js';
import { openDrawer, payoutChanged } from './drawer.js';
import { amountEl, badge, count, methodEl, priorityEl, reasonBadges } from './format.js';
import * as state from './state.js';
import { toast } from './toast.js';

/** Numbers each load: only the latest one's answer is shown. */
let loadSeq = 0;
let loading = false;
/** Transitions that arrived while a page was on its way: applied once it is shown. */
let held = [];
let newCount = 0;
/** Pages loaded since the dashboard opened (on <body data-list-loads>, for tests and the curious). */
let listLoads = 0;
/** Rows whose failure details are to be fetched, and the timer that gathers them. */
const refreshQueue = new Set();
let refreshTimer = null;

/** listed(): a load for the state as it is now began (the URL follows it). */
let hooks = { listed: () => {} };

export function initList(given = {}) {
  hooks = { ...hooks, ...given };
  bindFilters();
  bindTable();
}

/** The Export button downloads exactly the rows the filters show, in the same order, every page of them. */
function updateExportLink() {
  const params = listParams();
  params.delete('limit');
  params.delete('cursor');
  $('#export').href = `/api/payouts/export.csv?${params}`;
}

/** The filter form shows the state's filters (after the URL set them). */
export function showFilters() {
  const q = state.query();
  const form = $('#filters');
  for (const [key, value] of Object.entries(q.filters)) if (form.elements[key]) form.elements[key].value = value;
  $('#limit').value = String(q.limit);
}

function listParams() {
  const q = state.query();
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(q.filters)) if (value) params.set(key, value);
  params.set('sort', q.sort);
  params.set('order', q.order);
  params.set('limit', String(q.limit));
  if (q.cursor) params.set('cursor', q.cursor);
  return params;
}

/** Loads the page the state asks for and shows it. */
export async function loadList() {
  const seq = ++loadSeq;
  loading = true;
  $('#list').setAttribute('aria-busy', 'true');
  updateExportLink();
  hooks.listed();
  try {
    const data = await api(`/api/payouts?${listParams()}`);
    if (seq !== loadSeq) return;
    listLoads += 1;
    document.body.dataset.listLoads = String(listLoads);
    state.showPage(data.items, data.nextCursor);
    newCount = 0;
    $('#newbanner').hidden = true;
    renderRows();
    renderPager();
  } catch (e) {
    if (seq === loadSeq && e.status !== 401) toast(`Could not load the payouts: ${e.message}`, 'error');
  } finally {
    if (seq === loadSeq) {
      loading = false;
      $('#list').removeAttribute('aria-busy');
      // Changes that arrived while the page was on its way: the newer of the two wins.
      const late = held;
      held = [];
      late.forEach(applyTransition);
    }
  }
}

/** Draws every row of the page (and the selection against it). */
export function renderRows() {
  const rows = state.payouts().map(rowEl);
  $('#rows').replaceChildren(...rows);
  $('#empty').hidden = rows.length > 0;
  selectionChanged();
}

function rowEl(p) {
  const select = el('input', { type: 'checkbox', 'aria-label': `Select payout ${p.id}`, dataset: { action: 'select' } });
  select.checked = state.isSelected(p.id);
  select.addEventListener('change', () => toggleSelected(p, select.checked));
  const days = Number(p.daysPending ?? 0);
  const waiting = p.status === 'pending' || p.status === 'approved';
  return el('tr', { dataset: { id: p.id, status: p.status } },
    el('td', { class: 'col-select batch-only' }, select),
    el('td', { class: 'col-id' },
      el('button', { type: 'button', class: 'linklike mono', 'aria-label': `Details of payout ${p.id}`,
        onclick: (e) => openDrawer(p.id, e.currentTarget) }, `#${p.id}`)),
    el('td', { class: 'col-user', title: p.userEmail ?? '' },
      el('a', { href: `/user.html?id=${encodeURIComponent(p.userId)}`, class: 'user-link' }, p.userEmail ?? `user ${p.userId}`)),
    el('td', { class: 'col-amount num' }, amountEl(p.amount)),
    el('td', { class: 'col-method' }, methodEl(p.method)),
    el('td', { class: 'col-status', title: p.errorMessage ?? p.errorCode ?? '' }, badge(p.status), reasonBadges(p)),
    el('td', { class: 'col-priority' }, priorityEl(p.priority)),
    el('td', { class: `col-days num${waiting && days >= 3 ? ' overdue' : ''}` }, waiting ? String(days) : '–'),
    el('td', { class: 'col-actions queue-only' }, actionsEl(p)),
    el('td', { class: 'col-result batch-only', dataset: { result: '' } }, resultEl(p.id)));
}

/** Redraws one row in place, with a brief highlight, keeping the keyboard focus where it was. */
function renderRow(p, { flash = true } = {}) {
  const old = $(`#rows tr[data-id="${CSS.escape(String(p.id))}"]`);
  if (!old) return;
  const fresh = rowEl(p);
  if (old.contains(document.activeElement)) {
    // keep the keyboard where it was: focus the same control in the new row, or the id button
    const action = document.activeElement.dataset?.action;
    old.replaceWith(fresh);
    (action && $(`[data-action="${action}"]`, fresh) || $('.col-id button', fresh)).focus();
  } else {
    old.replaceWith(fresh);
  }
  if (flash) fresh.classList.add('flash');
}

/** A payout from an action's answer: its row shows it, highlighted, unless the row is newer. */
export function applyPayout(p) {
  const row = state.mergePayout(p);
  if (row) renderRow(row);
}

/** A payout fetched again (its details): its row shows it without a highlight, unless the row is newer. */
export function applyFetched(p) {
  const row = state.mergePayout(p);
  if (row) renderRow(row, { flash: false });
}

/** A pushed transition: a new payout shows on the banner, a change in its row (and in the drawer). */
export function applyTransition(t) {
  if (loading) {
    // new payouts are in the page being loaded (or on the banner's next click); changes wait for it
    if (t.from != null && held.length < 5000) held.push(t);
    return;
  }
  if (t.from == null) {
    noteNewPayout();
    return;
  }
  const row = state.applyTransition(t);
  payoutChanged(t.payoutId);
  if (!row) return;
  renderRow(row);
  // A failure's details (message, whether it can be retried) are not in the message: fetch that one row.
  // Nor is an approval that leaves a payout pending (who gave it): fetch that row too.
  if (t.to === 'failed' || t.to === 'needs_review' || t.to === 'returned' || t.from === t.to) queueRowRefresh(t.payoutId);
}

function queueRowRefresh(id) {
  refreshQueue.add(id);
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(async () => {
    const ids = [...refreshQueue].filter((x) => state.isShown(x)).slice(0, 25);
    refreshQueue.clear();
    for (const x of ids) {
      try {
        applyFetched(await api(`/api/payouts/${x}`));
      } catch {
        // the pushed status is already shown; the details can wait for the next load
      }
    }
  }, 400);
}

function noteNewPayout() {
  newCount += 1;
  $('#newbanner-show').textContent = `${count(newCount)} new payout${newCount === 1 ? '' : 's'} since this list was loaded. Show the latest`;
  $('#newbanner').hidden = false;
}

function renderPager() {
  const { page, limit, hasPrevious, hasNext } = state.paging();
  $('#prev').disabled = !hasPrevious;
  $('#next').disabled = !hasNext;
  const first = page * limit + 1;
  const shown = state.shownCount();
  $('#pageinfo').textContent = shown === 0 ? `Page ${page + 1}` : `Page ${page + 1} · ${count(first)}–${count(first + shown - 1)}`;
  const { sort, order } = state.sorting();
  for (const th of $$('th[data-sort]')) {
    if (th.dataset.sort === sort) th.setAttribute('aria-sort', order === 'asc' ? 'ascending' : 'descending');
    else th.removeAttribute('aria-sort');
  }
}

function bindFilters() {
  const form = $('#filters');
  const read = () => {
    const data = new FormData(form);
    state.setFilters(Object.fromEntries(state.filterNames().map((key) => [key, data.get(key)])));
    loadList();
  };
  let typing = null;
  form.addEventListener('change', (e) => {
    if (e.target.name !== 'q') read();
  });
  form.addEventListener('input', (e) => {
    if (e.target.name !== 'q') return;
    clearTimeout(typing);
    typing = setTimeout(read, 350);
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(typing);
    read();
  });
  form.addEventListener('reset', () => setTimeout(read, 0));
}

function bindTable() {
  for (const th of $$('th[data-sort]')) {
    $('button', th).addEventListener('click', () => {
      state.sortBy(th.dataset.sort);
      loadList();
    });
  }
  $('#prev').addEventListener('click', () => {
    if (state.toPreviousPage()) loadList();
  });
  $('#next').addEventListener('click', () => {
    if (state.toNextPage()) loadList();
  });
  $('#limit').addEventListener('change', (e) => {
    state.setLimit(Number(e.target.value));
    loadList();
  });
  $('#newbanner-show').addEventListener('click', () => {
    state.toFirstPage();
    loadList();
  });
}
