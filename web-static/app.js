// The payout dashboard and its sign-in page. No framework and no build step. Everything shown is
// built with createElement/textContent: data never goes through innerHTML.
import { LiveChannel } from './eventbus.js';
import { safeNext } from './next.js';

// ---------------------------------------------------------------- helpers

const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** createElement with attributes, listeners (onclick: fn) and children (strings become text). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** "1234.5" → 123450n: money stays exact (strings from the API, BigInt cents here). */
function cents(text) {
  if (typeof text !== 'string' || !/^-?\d+(\.\d{1,2})?$/.test(text)) return 0n;
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = text.replace('-', '').split('.');
  const value = BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2));
  return negative ? -value : value;
}

function money(value) {
  const negative = value < 0n;
  const v = negative ? -value : value;
  const whole = (v / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '−' : ''}${whole}.${(v % 100n).toString().padStart(2, '0')}`;
}

const moneyText = (text) => money(cents(text));
const count = (n) => Number(n ?? 0).toLocaleString('en-US');

function when(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '–';
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

class ApiFailure extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const session = { csrf: null, user: null };

function toLogin() {
  const next = location.pathname + location.search;
  location.replace(`/login.html?next=${encodeURIComponent(next)}`);
}

/** JSON over fetch with the session cookie; writes carry the CSRF token; 401 goes to sign-in. */
async function api(path, { method = 'GET', body, retried = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && session.csrf) headers['X-CSRF-Token'] = session.csrf;
  const response = await fetch(path, {
    method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) {
    toLogin();
    throw new ApiFailure(401, 'Your session has ended. Please sign in again.', 'unauthenticated');
  }
  let data = null;
  if (response.status !== 204) {
    try {
      data = await response.json();
    } catch {
      data = null;
    }
  }
  if (response.status === 403 && data?.error?.code === 'csrf_failed' && !retried) {
    // Signed in again in another tab: this session's CSRF token changed. Fetch it and try once more.
    const me = await fetch('/api/auth/me', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (me.ok) {
      session.csrf = (await me.json()).csrfToken ?? null;
      return api(path, { method, body, retried: true });
    }
  }
  if (!response.ok) {
    throw new ApiFailure(response.status, data?.error?.message ?? `The server answered ${response.status}.`, data?.error?.code);
  }
  return data;
}

// ---------------------------------------------------------------- labels

const METHODS = {
  stripe_bank: { label: 'Bank transfer', short: 'bank', icon: '⇄', css: 'm-bank' },
  paypal: { label: 'PayPal', short: 'PayPal', icon: 'P', css: 'm-paypal' },
  check: { label: 'Check', short: 'check', icon: '✉', css: 'm-check' },
};
const PRIORITIES = { urgent: '▲▲', high: '▲', normal: '', low: '▽' };
const VERBS = {
  approve: { busy: 'Approving…', done: 'approved' },
  reject: { busy: 'Rejecting…', done: 'rejected' },
  process: { busy: 'Queuing…', done: 'queued to be paid now' },
  retry: { busy: 'Retrying…', done: 'queued for a retry' },
};
const NEEDS = { approve: 'pending', reject: 'pending', process: 'approved' };

function badge(status) {
  return el('span', { class: `badge st-${status}` }, status.replace('_', ' '));
}

function amountEl(amount) {
  const c = cents(amount);
  const tier = c >= 500000n ? 'xl' : c >= 100000n ? 'l' : c >= 10000n ? 'm' : 's';
  return el('span', { class: `amt amt-${tier}` }, money(c));
}

function methodEl(method) {
  const m = METHODS[method] ?? { label: method, icon: '?', css: 'm-other' };
  return el('span', { class: 'method' }, el('span', { class: `m-icon ${m.css}`, 'aria-hidden': 'true' }, m.icon), m.label);
}

function priorityEl(priority) {
  return el('span', { class: `prio prio-${priority}` },
    el('span', { class: 'prio-mark', 'aria-hidden': 'true' }, PRIORITIES[priority] ?? ''), priority);
}

// ---------------------------------------------------------------- toasts

function toast(text, kind = 'info', { sticky = false } = {}) {
  const box = $('#toasts');
  const message = el('p', { class: 'toast-text' });
  const node = el('div', { class: 'toast', dataset: { kind } }, message,
    el('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss', onclick: () => node.remove() }, '✕'));
  const handle = {
    node,
    update(parts, nextKind = kind) {
      message.replaceChildren(...[parts].flat().map((p) => (p instanceof Node ? p : document.createTextNode(String(p)))));
      node.dataset.kind = nextKind;
    },
    close(afterMs = 0) {
      setTimeout(() => node.remove(), afterMs);
    },
  };
  handle.update(text, kind);
  box.append(node);
  while (box.children.length > 5) box.firstElementChild.remove();
  if (!sticky) handle.close(kind === 'error' ? 9000 : 5000);
  return handle;
}

/** Shows a task's id and follows it until it succeeded, failed or died. */
async function followTask(taskId, title) {
  const id = el('code', { class: 'task-id' }, taskId);
  const t = toast([`${title} · task `, id, ' queued'], 'info', { sticky: true });
  t.node.dataset.task = taskId;
  const started = Date.now();
  const delays = [300, 500, 800, 1200, 2000];
  for (let i = 0; Date.now() - started < 120000; i++) {
    await sleep(delays[Math.min(i, delays.length - 1)]);
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

// ---------------------------------------------------------------- sign-in page

async function initLogin() {
  const next = safeNext(new URLSearchParams(location.search).get('next'));
  try {
    const me = await fetch('/api/auth/me', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (me.ok) {
      location.replace(next);
      return;
    }
  } catch {
    // not signed in, or the server is away: the form says more when it is used
  }
  const form = $('#login-form');
  const error = $('#login-error');
  const submit = $('#login-submit');
  $('#email').focus();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    const email = $('#email').value.trim();
    const password = $('#password').value;
    if (!email || !password) {
      error.textContent = 'Enter your email and your password.';
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    try {
      const response = await fetch('/api/auth/login', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      if (response.ok) {
        location.replace(next);
        return;
      }
      const body = await response.json().catch(() => null);
      error.textContent = response.status === 401
        ? 'The email or password is not correct.'
        : body?.error?.message ?? `Signing in failed (the server answered ${response.status}).`;
    } catch {
      error.textContent = 'The server cannot be reached. Try again in a moment.';
    }
    submit.disabled = false;
    submit.textContent = 'Sign in';
    $('#password').value = '';
    $('#password').focus();
  });
}

// ---------------------------------------------------------------- dashboard state

const S = {
  filters: { status: '', priority: '', method: '', since: '', q: '' },
  sort: 'created',
  order: 'desc',
  limit: 25,
  cursors: [null],
  page: 0,
  next: null,
  rows: new Map(),
  mode: 'queue',
  selected: new Map(),
  results: new Map(),
  loadSeq: 0,
  loading: false,
  heldTransitions: [],
  newCount: 0,
  listLoads: 0,
  drawer: null,
  lastResync: 0,
  resyncTimer: null,
  resyncToastAt: 0,
  refreshQueue: new Set(),
  refreshTimer: null,
  drawerTimer: null,
  applying: false,
  applied: false,
  channel: null,
};

// ---------------------------------------------------------------- list

function listParams() {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(S.filters)) if (value) params.set(key, value);
  params.set('sort', S.sort);
  params.set('order', S.order);
  params.set('limit', String(S.limit));
  const cursor = S.cursors[S.page];
  if (cursor) params.set('cursor', cursor);
  return params;
}

async function loadList() {
  const seq = ++S.loadSeq;
  S.loading = true;
  $('#list').setAttribute('aria-busy', 'true');
  try {
    const data = await api(`/api/payouts?${listParams()}`);
    if (seq !== S.loadSeq) return;
    S.listLoads += 1;
    document.body.dataset.listLoads = String(S.listLoads);
    S.rows = new Map(data.items.map((p) => [p.id, p]));
    S.next = data.nextCursor ?? null;
    S.newCount = 0;
    $('#newbanner').hidden = true;
    renderRows();
    renderPager();
  } catch (e) {
    if (seq === S.loadSeq && e.status !== 401) toast(`Could not load the payouts: ${e.message}`, 'error');
  } finally {
    if (seq === S.loadSeq) {
      S.loading = false;
      $('#list').removeAttribute('aria-busy');
      // Changes that arrived while the page was on its way: the newer of the two wins.
      const held = S.heldTransitions;
      S.heldTransitions = [];
      held.forEach(applyTransition);
    }
  }
}

function resetPaging() {
  S.cursors = [null];
  S.page = 0;
}

function renderRows() {
  const rows = [...S.rows.values()].map(rowEl);
  $('#rows').replaceChildren(...rows);
  $('#empty').hidden = rows.length > 0;
  renderSelection();
}

function rowEl(p) {
  const select = el('input', { type: 'checkbox', 'aria-label': `Select payout ${p.id}`, dataset: { action: 'select' } });
  select.checked = S.selected.has(p.id);
  select.addEventListener('change', () => toggleSelected(p, select.checked));
  const days = Number(p.daysPending ?? 0);
  const waiting = p.status === 'pending' || p.status === 'approved';
  return el('tr', { dataset: { id: p.id, status: p.status } },
    el('td', { class: 'col-select batch-only' }, select),
    el('td', { class: 'col-id' },
      el('button', { type: 'button', class: 'linklike mono', 'aria-label': `Details of payout ${p.id}`,
        onclick: (e) => openDrawer(p.id, e.currentTarget) }, `#${p.id}`)),
    el('td', { class: 'col-user', title: p.userEmail ?? '' }, p.userEmail ?? `user ${p.userId}`),
    el('td', { class: 'col-amount num' }, amountEl(p.amount)),
    el('td', { class: 'col-method' }, methodEl(p.method)),
    el('td', { class: 'col-status', title: p.errorMessage ?? p.errorCode ?? '' }, badge(p.status)),
    el('td', { class: 'col-priority' }, priorityEl(p.priority)),
    el('td', { class: `col-days num${waiting && days >= 3 ? ' overdue' : ''}` }, waiting ? String(days) : '–'),
    el('td', { class: 'col-actions queue-only' }, actionsEl(p)),
    el('td', { class: 'col-result batch-only', dataset: { result: '' } }, resultEl(p.id)));
}

function actionsEl(p) {
  const buttons = [];
  const button = (action, label, css) => el('button', {
    type: 'button', class: `btn small ${css}`, dataset: { action }, 'aria-label': `${label} payout ${p.id}`,
    onclick: (e) => (action === 'reject' ? confirmReject(p, e.currentTarget) : act(p, action, e.currentTarget)),
  }, label);
  if (p.status === 'pending') buttons.push(button('approve', 'Approve', 'primary'), button('reject', 'Reject', 'danger-ghost'));
  if (p.status === 'approved') buttons.push(button('process', 'Process now', 'primary'));
  if (p.status === 'failed' && p.retryable !== false && p.holdsFunds !== false) buttons.push(button('retry', 'Retry', 'primary'));
  if (p.status === 'processing') buttons.push(el('span', { class: 'muted' }, 'at the gateway…'));
  if (p.status === 'needs_review') buttons.push(el('span', { class: 'muted' }, 'funds held for review'));
  return el('div', { class: 'actions' }, buttons.length ? buttons : el('span', { class: 'muted' }, '–'));
}

function resultEl(id) {
  const r = S.results.get(id);
  if (!r) return '';
  return r.ok
    ? el('span', { class: 'result ok' }, `✓ ${r.status ?? 'done'}`)
    : el('span', { class: 'result refused' }, `✗ ${r.error ?? 'refused'}`);
}

/** Puts a newer version of a visible payout in its row, in place, with a brief highlight. */
function replaceRow(p, { flash = true } = {}) {
  S.rows.set(p.id, p);
  if (S.selected.has(p.id)) S.selected.set(p.id, p);
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

const isOlder = (at, than) => at && than && Date.parse(at) < Date.parse(than);

/** A payout from an answer (approve, reject...): shown unless the row already holds a newer state. */
function applyPayout(p) {
  const current = S.rows.get(p.id);
  if (!current || isOlder(p.updatedAt, current.updatedAt)) return;
  replaceRow({ ...current, ...p });
}

function applyTransition(t) {
  if (S.loading) {
    // new payouts are in the page being loaded (or on the banner's next click); changes wait for it
    if (t.from != null && S.heldTransitions.length < 5000) S.heldTransitions.push(t);
    return;
  }
  if (t.from == null) {
    noteNewPayout();
    return;
  }
  const selected = S.selected.get(t.payoutId);
  if (selected && !isOlder(t.at, selected.updatedAt)) S.selected.set(t.payoutId, { ...selected, status: t.to, updatedAt: t.at });
  if (S.drawer?.id === t.payoutId) scheduleDrawerRefresh();
  const p = S.rows.get(t.payoutId);
  if (!p || isOlder(t.at, p.updatedAt)) return;
  replaceRow({
    ...p,
    status: t.to,
    updatedAt: t.at,
    transactionId: t.transactionId ?? p.transactionId,
    errorCode: t.error ?? null,
    errorMessage: t.error && t.error === p.errorCode ? p.errorMessage : null,
  });
  // A failure's details (message, whether it can be retried) are not in the message: fetch that one row.
  if (t.to === 'failed' || t.to === 'needs_review') queueRowRefresh(t.payoutId);
}

function queueRowRefresh(id) {
  S.refreshQueue.add(id);
  clearTimeout(S.refreshTimer);
  S.refreshTimer = setTimeout(async () => {
    const ids = [...S.refreshQueue].filter((x) => S.rows.has(x)).slice(0, 25);
    S.refreshQueue.clear();
    for (const x of ids) {
      try {
        const fresh = await api(`/api/payouts/${x}`);
        const current = S.rows.get(x);
        if (current && !isOlder(fresh.updatedAt, current.updatedAt)) replaceRow({ ...current, ...fresh }, { flash: false });
      } catch {
        // the pushed status is already shown; the details can wait for the next load
      }
    }
  }, 400);
}

function noteNewPayout() {
  S.newCount += 1;
  const banner = $('#newbanner');
  $('#newbanner-show').textContent = `${count(S.newCount)} new payout${S.newCount === 1 ? '' : 's'} since this list was loaded. Show the latest`;
  banner.hidden = false;
}

function onTransitions(batch) {
  for (const t of batch.transitions ?? []) applyTransition(t);
  if (batch.resync) resync(batch.dropped);
}

/** Too many changes came at once to send each: reload what is shown, at most every two seconds. */
function resync(dropped) {
  if (Date.now() - S.resyncToastAt > 15000) {
    S.resyncToastAt = Date.now();
    toast(`Many changes at once (${count(dropped)} not sent one by one): the list and figures were reloaded.`, 'info');
  }
  if (S.resyncTimer) return;
  const wait = Math.max(0, 2000 - (Date.now() - S.lastResync));
  S.resyncTimer = setTimeout(() => {
    S.resyncTimer = null;
    S.lastResync = Date.now();
    loadList();
    loadStats();
  }, wait);
}

function renderPager() {
  $('#prev').disabled = S.page === 0;
  $('#next').disabled = !S.next;
  const first = S.page * S.limit + 1;
  const shown = S.rows.size;
  $('#pageinfo').textContent = shown === 0 ? `Page ${S.page + 1}` : `Page ${S.page + 1} · ${count(first)}–${count(first + shown - 1)}`;
  for (const th of $$('th[data-sort]')) {
    if (th.dataset.sort === S.sort) th.setAttribute('aria-sort', S.order === 'asc' ? 'ascending' : 'descending');
    else th.removeAttribute('aria-sort');
  }
}

// ---------------------------------------------------------------- actions

async function act(p, action, button, body) {
  const cell = button.closest('.actions');
  const buttons = cell ? $$('button', cell) : [button];
  const label = button.textContent;
  buttons.forEach((b) => { b.disabled = true; });
  button.textContent = VERBS[action].busy;
  try {
    const answer = await api(`/api/payouts/${p.id}/${action}`, { method: 'POST', body });
    const payout = action === 'reject' ? answer : answer.payout;
    if (payout) applyPayout(payout);
    if (answer.taskId) followTask(answer.taskId, `Payout #${p.id} ${VERBS[action].done}`);
    else toast(`Payout #${p.id} ${VERBS[action].done}; its funds are back in the user's balance.`, 'ok');
    if (S.drawer?.id === p.id) scheduleDrawerRefresh();
  } catch (e) {
    if (e.status !== 401) toast(`Could not ${action} payout #${p.id}: ${e.message}`, 'error');
    if (button.isConnected) {
      buttons.forEach((b) => { b.disabled = false; });
      button.textContent = label;
    }
  }
}

function confirmReject(p, button) {
  const dialog = $('#reject-dialog');
  const method = METHODS[p.method]?.label ?? p.method;
  $('#reject-what').textContent = `Payout #${p.id} to ${p.userEmail ?? `user ${p.userId}`}: ${moneyText(p.amount)} by ${method}. `
    + 'The held amount goes back to the user\'s balance. This cannot be undone.';
  $('#reject-reason').value = '';
  dialog.returnValue = 'cancel';
  dialog.addEventListener('close', () => {
    const reason = $('#reject-reason').value.trim();
    if (dialog.returnValue === 'reject') act(p, 'reject', button, reason ? { reason } : undefined);
    else if (button.isConnected) button.focus();
  }, { once: true });
  dialog.showModal();
  $('#reject-reason').focus();
}

// ---------------------------------------------------------------- batch processor

function toggleSelected(p, on) {
  if (on) S.selected.set(p.id, S.rows.get(p.id) ?? p);
  else S.selected.delete(p.id);
  renderSelection();
}

function renderSelection() {
  const onPage = [...S.rows.keys()];
  const picked = onPage.filter((id) => S.selected.has(id)).length;
  const all = $('#select-page');
  all.checked = onPage.length > 0 && picked === onPage.length;
  all.indeterminate = picked > 0 && picked < onPage.length;
  const elsewhere = S.selected.size - picked;
  $('#batch-selected').textContent = S.selected.size === 0
    ? 'Nothing selected'
    : `${count(S.selected.size)} selected${elsewhere > 0 ? ` (${count(elsewhere)} on other pages)` : ''}`;
  $('#batch-preview').disabled = S.selected.size === 0;
  // After an apply the panel shows what was done, until something new is selected.
  if (S.applied && S.selected.size > 0) S.applied = false;
  if (!$('#preview').hidden && !S.applying && !S.applied) openPreview({ focus: false });
}

function previewFigures() {
  const action = $('#batch-action').value;
  const items = [...S.selected.values()];
  const eligible = items.filter((p) => p.status === NEEDS[action]);
  let total = 0n;
  let fees = 0n;
  for (const p of eligible) {
    total += cents(p.amount);
    fees += cents(p.fee);
  }
  return { action, items, eligible, total, fees };
}

function renderPreview() {
  const { action, items, eligible, total, fees } = previewFigures();
  $('#preview').hidden = false;
  $('#preview-title').textContent = `Preview: ${$('#batch-action').selectedOptions[0].textContent.toLowerCase()}`;
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

async function applyBatch() {
  const { action, items } = previewFigures();
  if (items.length === 0) return;
  if (items.length > 1000) {
    toast('At most 1,000 payouts per batch: select fewer.', 'error');
    return;
  }
  S.applying = true;
  const apply = $('#batch-apply');
  apply.disabled = true;
  apply.textContent = 'Applying…';
  try {
    const answer = await api('/api/payouts/batch', { method: 'POST', body: { action, ids: items.map((p) => p.id) } });
    for (const r of answer.results) S.results.set(r.id, r);
    const ok = answer.results.filter((r) => r.ok).length;
    const refused = answer.results.filter((r) => !r.ok);
    const summary = [`${count(ok)} ${VERBS[action].done}${refused.length ? `, ${count(refused.length)} refused` : ''}.`];
    const offPage = refused.filter((r) => !S.rows.has(r.id));
    if (offPage.length) {
      summary.push(' Refused on other pages: ', offPage.slice(0, 5).map((r) => `#${r.id} (${r.error})`).join(', '));
      if (offPage.length > 5) summary.push(` and ${count(offPage.length - 5)} more`);
    }
    $('#batch-summary').textContent = summary.join('');
    $('#preview-title').textContent = `Applied: ${$('#batch-action').selectedOptions[0].textContent.toLowerCase()}`;
    S.applied = true;
    S.selected.clear();
    renderRows();
    followTask(answer.taskId, `Batch: ${count(ok)} ${VERBS[action].done}`);
    $('#batch-apply').hidden = true;
    $('#batch-cancel').textContent = 'Close';
  } catch (e) {
    if (e.status !== 401) toast(`The batch was not applied: ${e.message}`, 'error');
    apply.disabled = false;
    apply.textContent = 'Apply';
  } finally {
    S.applying = false;
  }
}

function openPreview({ focus = true } = {}) {
  S.applied = false;
  $('#batch-summary').textContent = '';
  $('#batch-apply').hidden = false;
  $('#batch-cancel').textContent = 'Cancel';
  renderPreview();
  if (focus) $('#batch-apply').focus();
}

function closePreview() {
  S.applied = false;
  $('#preview').hidden = true;
  $('#batch-summary').textContent = '';
  $('#batch-preview').focus();
}

function setMode(mode) {
  S.mode = mode;
  document.body.dataset.mode = mode;
  for (const tab of $$('[role="tab"]')) {
    const on = tab.id === `tab-${mode}`;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
  }
  $('#panel').setAttribute('aria-labelledby', `tab-${mode}`);
  $('#batchbar').hidden = mode !== 'batch';
  if (mode !== 'batch') $('#preview').hidden = true;
}

// ---------------------------------------------------------------- statistics

function renderStats(stats) {
  if (!stats) return;
  for (const key of ['pending', 'approved', 'processing', 'needs_review']) renderCard(key, stats.byStatus?.[key]);
  // Shown only while a payout waits for an operator.
  $('[data-card="needs_review"]').hidden = !(stats.byStatus?.needs_review?.count > 0);
  renderCard('completedToday', stats.completedToday);
  renderCard('failedToday', stats.failedToday);
  if (stats.throughput) renderThroughput(stats.throughput);
  const q = stats.queue ?? {};
  const rates = stats.successRateByMethod ?? {};
  const rateText = Object.entries(METHODS)
    .map(([key, m]) => `${m.short} ${rates[key] == null ? '–' : `${Math.round(rates[key] * 1000) / 10}%`}`).join(' · ');
  $('#tp-queue').textContent = q.depth == null ? 'Jobs: –'
    : `Jobs: ${count(q.ready)} ready · ${count(q.inflight)} running · ${count(q.delayed)} scheduled${q.dead ? ` · ${count(q.dead)} dead` : ''}`;
  $('#tp-rates').textContent = `Success: ${rateText}`;
}

function renderCard(key, figure) {
  const card = $(`[data-card="${key}"]`);
  if (!card || !figure) return;
  const number = $('[data-count]', card);
  const next = count(figure.count);
  if (number.textContent !== next) {
    number.textContent = next;
    card.classList.remove('bump');
    void card.offsetWidth; // restart the animation
    card.classList.add('bump');
  }
  $('[data-sum]', card).textContent = moneyText(figure.sum);
}

function renderThroughput({ perSecond = [], lastMinute = 0 }) {
  const svgNs = 'http://www.w3.org/2000/svg';
  const width = 240;
  const height = 34;
  const n = perSecond.length || 60;
  const max = Math.max(1, ...perSecond);
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('aria-hidden', 'true');
  const step = width / n;
  perSecond.forEach((v, i) => {
    const h = v === 0 ? 0 : Math.max(1.5, (v / max) * (height - 2));
    const bar = document.createElementNS(svgNs, 'rect');
    bar.setAttribute('x', (i * step + 0.5).toFixed(2));
    bar.setAttribute('y', (height - h).toFixed(2));
    bar.setAttribute('width', Math.max(1, step - 1).toFixed(2));
    bar.setAttribute('height', h.toFixed(2));
    bar.setAttribute('class', i === n - 1 ? 'bar now' : 'bar');
    svg.append(bar);
  });
  const base = document.createElementNS(svgNs, 'line');
  base.setAttribute('x1', '0');
  base.setAttribute('x2', String(width));
  base.setAttribute('y1', String(height - 0.5));
  base.setAttribute('y2', String(height - 0.5));
  base.setAttribute('class', 'baseline');
  svg.append(base);
  const chart = $('#tp-chart');
  chart.replaceChildren(svg);
  // the last slot is the current, unfinished second: "now" averages the five before it
  const recent = perSecond.slice(-6, -1);
  const rate = recent.length ? recent.reduce((a, b) => a + b, 0) / recent.length : 0;
  $('#tp-now').textContent = `${rate.toFixed(1)}/s`;
  chart.setAttribute('aria-label', `${count(lastMinute)} payouts paid or failed in the last minute, about ${rate.toFixed(1)} per second now, at most ${count(max)} in one second`);
  $('#tp-chart').title = `${count(lastMinute)} in the last minute · peak ${count(max)}/s`;
}

async function loadStats() {
  try {
    renderStats(await api('/api/stats'));
  } catch (e) {
    if (e.status !== 401) toast(`Could not load the figures: ${e.message}`, 'error');
  }
}

// ---------------------------------------------------------------- detail drawer

async function openDrawer(id, opener) {
  S.drawer = { id, opener };
  $('#backdrop').hidden = false;
  document.body.classList.add('drawer-open');
  const drawer = $('#drawer');
  drawer.hidden = false;
  $('#drawer-title').textContent = `Payout #${id}`;
  $('#drawer-body').replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
  $('#drawer-close').focus();
  await refreshDrawer();
}

async function refreshDrawer() {
  const open = S.drawer;
  if (!open) return;
  try {
    const p = await api(`/api/payouts/${open.id}`);
    if (S.drawer !== open) return;
    renderDrawer(p);
    const current = S.rows.get(p.id);
    if (current && !isOlder(p.updatedAt, current.updatedAt)) replaceRow({ ...current, ...p }, { flash: false });
  } catch (e) {
    if (S.drawer === open) $('#drawer-body').replaceChildren(el('p', { class: 'error' }, e.message));
  }
}

function scheduleDrawerRefresh() {
  clearTimeout(S.drawerTimer);
  S.drawerTimer = setTimeout(refreshDrawer, 300);
}

function closeDrawer() {
  if (!S.drawer) return;
  const { id, opener } = S.drawer;
  S.drawer = null;
  $('#drawer').hidden = true;
  $('#backdrop').hidden = true;
  document.body.classList.remove('drawer-open');
  // the row may have been redrawn meanwhile: return to the same payout's button
  const target = opener?.isConnected ? opener : $(`#rows tr[data-id="${id}"] .col-id button`);
  target?.focus();
}

function renderDrawer(p) {
  const fact = (label, value, css) => el('div', { class: 'fact' }, el('dt', {}, label), el('dd', { class: css }, value ?? '–'));
  const error = p.errorCode ? `${p.errorCode}${p.errorMessage ? `: ${p.errorMessage}` : ''}` : null;
  const facts = el('dl', { class: 'facts' },
    fact('Status', badge(p.status)),
    fact('User', p.userEmail ?? `user ${p.userId}`),
    fact('Amount', amountEl(p.amount)),
    fact('Fee', moneyText(p.fee), 'tabular'),
    fact('Net to user', moneyText(p.netAmount), 'tabular'),
    fact('Method', methodEl(p.method)),
    fact('Priority', priorityEl(p.priority)),
    fact('Transaction id', p.transactionId, 'mono'),
    fact('Error', error, error ? 'error' : ''),
    fact('Retries', p.status === 'failed' || p.retryCount
      ? `${p.retryCount ?? 0} so far${p.retryable ? ', retryable' : p.errorCode ? ', not retryable' : ''}` : null),
    fact('Next retry', p.nextRetryAt ? when(p.nextRetryAt) : null),
    fact('Funds held', p.holdsFunds ? 'yes' : 'no'),
    fact('Created', when(p.createdAt)),
    fact('Last change', when(p.updatedAt)),
    p.notes ? fact('Notes', p.notes) : null,
    p.rejectionReason ? fact('Rejection reason', p.rejectionReason) : null);

  const events = (p.events ?? []).map((e) => el('tr', {},
    el('td', { class: 'nowrap' }, when(e.at)),
    el('td', {}, e.from ? badge(e.from) : el('span', { class: 'muted' }, 'new'), ' → ', badge(e.to)),
    el('td', { class: 'break', title: e.actor ?? '' }, actorText(e.actor)),
    el('td', { class: 'break' }, e.detail ?? '')));
  const ledger = (p.ledger ?? []).map((l) => el('tr', {},
    el('td', { class: 'nowrap' }, when(l.at)),
    el('td', {}, l.kind),
    el('td', { class: 'num' }, moneyText(l.amount)),
    el('td', { class: 'num' }, signed(l.availableDelta)),
    el('td', { class: 'num' }, signed(l.heldDelta)),
    el('td', { class: 'break' }, l.reason ?? '')));
  const table = (caption, heads, rows, empty) => (rows.length
    ? el('table', { class: 'mini' }, el('caption', {}, caption),
      el('thead', {}, el('tr', {}, heads.map((h) => el('th', { scope: 'col', class: h.css ?? '' }, h.label ?? h)))),
      el('tbody', {}, rows))
    : el('p', { class: 'muted' }, empty));

  const actions = actionsEl(p);
  $('#drawer-body').replaceChildren(...[
    facts,
    $('button', actions) ? el('div', { class: 'drawer-actions' }, actions) : null,
    el('h3', {}, 'Audit trail'),
    table('Status changes, oldest first', ['When', 'Change', 'By', 'Detail'], events, 'No status changes recorded.'),
    el('h3', {}, 'Ledger'),
    table('Balance movements of this payout', ['When', 'Kind', { label: 'Amount', css: 'num' },
      { label: 'Available', css: 'num' }, { label: 'Held', css: 'num' }, 'Reason'], ledger, 'No ledger rows.'),
  ].filter(Boolean));
}

/** "user:12:ann@example.com" → "ann@example.com"; system actors as they are. */
function actorText(actor) {
  const m = /^user:\d+:(.+)$/.exec(actor ?? '');
  return m ? m[1] : actor ?? '';
}

function signed(text) {
  const c = cents(text);
  return c > 0n ? `+${money(c)}` : money(c);
}

function trapFocus(e) {
  const drawer = $('#drawer');
  if (drawer.hidden || e.key !== 'Tab') return;
  const focusable = $$('button:not([disabled]), a[href], input, select, [tabindex="0"]', drawer).filter((x) => x.offsetParent !== null);
  if (focusable.length === 0) return;
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (!drawer.contains(document.activeElement)) {
    e.preventDefault();
    first.focus();
  } else if (e.shiftKey && document.activeElement === first) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && document.activeElement === last) {
    e.preventDefault();
    first.focus();
  }
}

// ---------------------------------------------------------------- live channel

const CONNECTION_LABELS = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' };

function showConnection(state, detail = {}) {
  const box = $('#conn');
  box.dataset.state = state;
  const label = CONNECTION_LABELS[state] ?? state;
  if ($('#conn-label').textContent !== label) $('#conn-label').textContent = label;
  const waiting = state === 'reconnecting' && detail.inMs > 0;
  $('#conn-wait').textContent = waiting ? `next try in ${Math.ceil(detail.inMs / 1000)} s` : '';
  $('#conn-retry').hidden = !waiting;
  box.title = state === 'live' ? 'Changes appear as they happen' : 'Live updates are paused; the list may be out of date';
}

function startLive() {
  const channel = new LiveChannel('/eventbus', {
    onState: showConnection,
    onResumed: () => {
      // Whatever happened while the channel was down was missed: reload what is shown.
      loadList();
      loadStats();
      if (Date.now() - (S.resumedToastAt ?? 0) > 30000) {
        S.resumedToastAt = Date.now();
        toast('Live updates are back; the list and figures were reloaded.', 'ok');
      }
    },
    mayReconnect: async () => {
      const me = await fetch('/api/auth/me', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      if (me.status === 401) {
        toLogin();
        return false;
      }
      return true;
    },
  });
  channel.on('dashboard.payouts', onTransitions).on('dashboard.stats', renderStats);
  channel.start();
  S.channel = channel;
  $('#conn-retry').addEventListener('click', () => channel.reconnectNow());
}

// ---------------------------------------------------------------- wiring

function bindFilters() {
  const form = $('#filters');
  const read = () => {
    const data = new FormData(form);
    for (const key of Object.keys(S.filters)) S.filters[key] = String(data.get(key) ?? '').trim();
    resetPaging();
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
      const key = th.dataset.sort;
      if (S.sort === key) S.order = S.order === 'asc' ? 'desc' : 'asc';
      else {
        S.sort = key;
        S.order = 'desc';
      }
      resetPaging();
      loadList();
    });
  }
  $('#prev').addEventListener('click', () => {
    if (S.page === 0) return;
    S.page -= 1;
    loadList();
  });
  $('#next').addEventListener('click', () => {
    if (!S.next) return;
    S.cursors[S.page + 1] = S.next;
    S.page += 1;
    loadList();
  });
  $('#limit').addEventListener('change', (e) => {
    S.limit = Number(e.target.value);
    resetPaging();
    loadList();
  });
  $('#newbanner-show').addEventListener('click', () => {
    resetPaging();
    loadList();
  });
  $('#select-page').addEventListener('change', (e) => {
    for (const p of S.rows.values()) {
      if (e.target.checked) S.selected.set(p.id, p);
      else S.selected.delete(p.id);
    }
    for (const box of $$('#rows .col-select input')) box.checked = e.target.checked;
    renderSelection();
  });
}

function bindTabs() {
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
    S.selected.clear();
    S.results.clear();
    renderRows();
    $('#preview').hidden = true;
  });
}

function bindDrawer() {
  $('#drawer-close').addEventListener('click', closeDrawer);
  $('#backdrop').addEventListener('click', closeDrawer);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && S.drawer && !$('#reject-dialog').open) {
      e.preventDefault();
      closeDrawer();
    }
    trapFocus(e);
  });
}

async function initDashboard() {
  let me;
  try {
    me = await api('/api/auth/me');
  } catch (e) {
    if (e.status !== 401) {
      document.body.classList.remove('booting');
      toast(`The dashboard cannot start: ${e.message}`, 'error', { sticky: true });
    }
    return;
  }
  session.csrf = me.csrfToken ?? null;
  session.user = me.user;
  $('#who').textContent = me.user.email;
  $('#logout').addEventListener('click', async () => {
    S.channel?.stop();
    try {
      await api('/api/auth/logout', { method: 'POST' });
    } finally {
      location.replace('/login.html');
    }
  });
  document.body.classList.remove('booting');
  if (!me.user.staff) {
    toast('This account is not staff: the payout queue is for staff only.', 'error', { sticky: true });
    return;
  }
  setMode('queue');
  bindFilters();
  bindTable();
  bindTabs();
  bindDrawer();
  startLive();
  await Promise.all([loadList(), loadStats()]);
}

if (document.body.dataset.page === 'login') initLogin();
else initDashboard();
