// How money, counts, dates and a payout's method, priority and status are shown. Pure: each function
// turns a value into text, or into a new detached element built by el() (so it is escaped).
import { el } from './dom.js';

export const METHODS = {
  stripe_bank: { label: 'Bank transfer', short: 'bank', icon: '⇄', css: 'm-bank' },
  paypal: { label: 'PayPal', short: 'PayPal', icon: 'P', css: 'm-paypal' },
  check: { label: 'Check', short: 'check', icon: '✉', css: 'm-check' },
};
const PRIORITIES = { urgent: '▲▲', high: '▲', normal: '', low: '▽' };

/** "1234.5" → 123450n: money stays exact (strings from the API, BigInt cents here). */
export function cents(text) {
  if (typeof text !== 'string' || !/^-?\d+(\.\d{1,2})?$/.test(text)) return 0n;
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = text.replace('-', '').split('.');
  const value = BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2));
  return negative ? -value : value;
}

/** 123450n → "1,234.50". */
export function money(value) {
  const negative = value < 0n;
  const v = negative ? -value : value;
  const whole = (v / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '−' : ''}${whole}.${(v % 100n).toString().padStart(2, '0')}`;
}

export const moneyText = (text) => money(cents(text));

/** A ledger delta: "+12.00" when money came in. */
export function signed(text) {
  const c = cents(text);
  return c > 0n ? `+${money(c)}` : money(c);
}

export const count = (n) => Number(n ?? 0).toLocaleString('en-US');

/** An ISO instant in the browser's time zone, "2024-05-01 09:30:00"; "–" for none. */
export function when(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '–';
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** "user:12:ann@example.com" → "ann@example.com"; system actors as they are. */
export function actorText(actor) {
  const m = /^user:\d+:(.+)$/.exec(actor ?? '');
  return m ? m[1] : actor ?? '';
}

const REASONS = {
  velocity: 'beyond a velocity limit',
  first_payout: "the user's first payout",
  method_changed: 'payout method changed in the last 24 h',
};

/** A badge per review reason (why a person must look at it before it is approved). */
export function reasonBadges(p) {
  return (p.reviewReasons ?? []).map((r) => el('span', { class: 'badge reason', title: REASONS[r] ?? r, dataset: { reason: r } },
    r.replace('_', ' ')));
}

/** "1 of 2 approvals · by ann@example.com" for a payout that has some of its approvals, else null. */
export function approvalsEl(p) {
  const given = p.approvals ?? [];
  if (p.status !== 'pending' || (p.approvalsRequired ?? 1) < 2 || given.length === 0) return null;
  return el('span', { class: 'approvals-note', dataset: { approvals: `${given.length}/${p.approvalsRequired}` } },
    `${given.length} of ${p.approvalsRequired} approvals`, el('span', { class: 'muted' }, ` · by ${given.map((a) => actorText(a.actor)).join(', ')}`));
}

export function badge(status) {
  return el('span', { class: `badge st-${status}` }, status.replace('_', ' '));
}

export function amountEl(amount) {
  const c = cents(amount);
  const tier = c >= 500000n ? 'xl' : c >= 100000n ? 'l' : c >= 10000n ? 'm' : 's';
  return el('span', { class: `amt amt-${tier}` }, money(c));
}

export function methodEl(method) {
  const m = METHODS[method] ?? { label: method, icon: '?', css: 'm-other' };
  return el('span', { class: 'method' }, el('span', { class: `m-icon ${m.css}`, 'aria-hidden': 'true' }, m.icon), m.label);
}

export function priorityEl(priority) {
  return el('span', { class: `prio prio-${priority}` },
    el('span', { class: 'prio-mark', 'aria-hidden': 'true' }, PRIORITIES[priority] ?? ''), priority);
}
