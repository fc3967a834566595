// The cards (count and sum per status, today's completed and failed) and the throughput chart,
// from /api/stats when the page opens and from dashboard.stats pushes after that.
import { api } from './api.js';
import { $ } from './dom.js';
import { count, METHODS, moneyText } from './format.js';
import { toast } from './toast.js';

const SVG = 'http://www.w3.org/2000/svg';

export async function loadStats() {
  try {
    renderStats(await api('/api/stats'));
  } catch (e) {
    if (e.status !== 401) toast(`Could not load the figures: ${e.message}`, 'error');
  }
}

export function renderStats(stats) {
  if (!stats) return;
  for (const key of ['pending', 'approved', 'processing', 'needs_review', 'returned']) renderCard(key, stats.byStatus?.[key]);
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
  const width = 240;
  const height = 34;
  const n = perSecond.length || 60;
  const max = Math.max(1, ...perSecond);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('aria-hidden', 'true');
  const step = width / n;
  perSecond.forEach((v, i) => {
    const h = v === 0 ? 0 : Math.max(1.5, (v / max) * (height - 2));
    const bar = document.createElementNS(SVG, 'rect');
    bar.setAttribute('x', (i * step + 0.5).toFixed(2));
    bar.setAttribute('y', (height - h).toFixed(2));
    bar.setAttribute('width', Math.max(1, step - 1).toFixed(2));
    bar.setAttribute('height', h.toFixed(2));
    bar.setAttribute('class', i === n - 1 ? 'bar now' : 'bar');
    svg.append(bar);
  });
  const base = document.createElementNS(SVG, 'line');
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
  chart.title = `${count(lastMinute)} in the last minute · peak ${count(max)}/s`;
}
