// A listen-only client of the Vert.x event-bus bridge over SockJS (the server permits no inbound
// traffic). Frames: {"type":"register","address"} and {"type":"ping"} out; {"type":"rec","address",
// "body"} and {"type":"err"} in. Reconnects by itself with a growing, jittered delay, and reloads
// what it missed through onResumed (at once after a "resync" error frame: the socket fell behind).

const PING_MS = 5000;
const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30000;
const STABLE_MS = 5000;
/** Every transport the server enables, best first (the same set SockJSHandlerOptions leaves on). */
const TRANSPORTS = ['websocket', 'xhr-streaming', 'xhr-polling'];
/** The error frame the server sends before it closes a socket whose reader fell behind (DashboardRoutes.RESYNC). */
const RESYNC = 'resync';

/**
 * The transports a page asks for with ?transports=xhr-streaming,xhr-polling: only names from
 * TRANSPORTS, in the order given; without the parameter, or with nothing valid in it, all of them.
 * It is how a test (or a support engineer) sees the fallbacks that a proxy blocking WebSockets
 * forces, on an ordinary browser; a normal visit carries no such parameter and is unchanged. A query
 * parameter rather than a stored setting: it lasts one visit, shows in the address bar, and cannot
 * linger in someone's browser.
 */
export function transportsFrom(search) {
  const asked = new URLSearchParams(search).get('transports');
  if (!asked) return TRANSPORTS;
  const picked = [...new Set(asked.split(',').map((t) => t.trim()))].filter((t) => TRANSPORTS.includes(t));
  return picked.length > 0 ? picked : TRANSPORTS;
}

export class LiveChannel {
  /**
   * @param {string} url the bridge, e.g. "/eventbus"
   * @param {object} hooks onState(state, detail): "connecting" | "live" | "reconnecting";
   *   onResumed(): the channel is back after a drop (messages may have been missed);
   *   mayReconnect(): async, false to give up (e.g. the session ended).
   */
  constructor(url, hooks = {}) {
    this.url = url;
    this.hooks = { onState: () => {}, onResumed: () => {}, mayReconnect: async () => true, ...hooks };
    this.handlers = new Map();
    this.transports = transportsFrom(globalThis.location ? globalThis.location.search : '');
    this.sock = null;
    this.open = false;
    this.stopped = true;
    this.everOpen = false;
    this.attempt = 0;
    this.pingTimer = null;
    this.retryTimer = null;
    this.countdownTimer = null;
    this.stableTimer = null;
  }

  on(address, handler) {
    this.handlers.set(address, handler);
    if (this.open) this.#send({ type: 'register', address });
    return this;
  }

  start() {
    this.stopped = false;
    this.#connect();
  }

  stop() {
    this.stopped = true;
    this.#clearTimers();
    if (this.sock) this.sock.close();
  }

  /** Skips the wait before the next attempt. */
  reconnectNow() {
    if (this.stopped || this.open) return;
    this.#clearTimers();
    this.#connect();
  }

  #connect() {
    this.hooks.onState(this.everOpen ? 'reconnecting' : 'connecting', { attempt: this.attempt });
    // eslint-disable-next-line no-undef -- SockJS comes from the webjar's script tag
    const sock = new SockJS(this.url, null, { transports: this.transports });
    this.sock = sock;
    sock.onopen = () => {
      if (sock !== this.sock) return;
      this.open = true;
      // The backoff starts over only once a connection has held for a while: a server that closes
      // every socket at once (an ended session, say) is not hammered.
      this.stableTimer = setTimeout(() => { this.attempt = 0; }, STABLE_MS);
      for (const address of this.handlers.keys()) this.#send({ type: 'register', address });
      this.pingTimer = setInterval(() => this.#send({ type: 'ping' }), PING_MS);
      const resumed = this.everOpen;
      this.everOpen = true;
      this.hooks.onState('live', {});
      if (resumed) this.hooks.onResumed();
    };
    sock.onmessage = (e) => {
      let frame;
      try {
        frame = JSON.parse(e.data);
      } catch {
        return;
      }
      if (frame.type === 'rec') {
        const handler = this.handlers.get(frame.address);
        if (handler) handler(frame.body);
      } else if (frame.type === 'err' && frame.failureType === RESYNC) {
        // The server dropped this socket for falling behind rather than buffer without bound: come
        // back at once (no backoff: nothing is wrong with the server) and reload what was missed.
        this.attempt = 0;
      } else if (frame.type === 'err') {
        console.warn('event bus refused a frame:', frame.failureType || '', frame.body || frame.message);
      }
    };
    sock.onclose = () => {
      if (sock !== this.sock) return;
      this.open = false;
      this.#clearTimers();
      if (this.stopped) return;
      this.#scheduleRetry();
    };
  }

  #scheduleRetry() {
    const base = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** this.attempt);
    const delay = Math.round(base * (0.75 + Math.random() * 0.5));
    this.attempt += 1;
    const due = Date.now() + delay;
    const tell = () => this.hooks.onState('reconnecting', { attempt: this.attempt, inMs: Math.max(0, due - Date.now()) });
    tell();
    this.countdownTimer = setInterval(tell, 1000);
    this.retryTimer = setTimeout(async () => {
      this.#clearTimers();
      let go = true;
      try {
        go = await this.hooks.mayReconnect();
      } catch {
        go = true; // the check itself failed (server down): keep trying
      }
      if (go && !this.stopped) this.#connect();
    }, delay);
  }

  #send(frame) {
    if (this.open && this.sock) this.sock.send(JSON.stringify(frame));
  }

  #clearTimers() {
    clearInterval(this.pingTimer);
    clearTimeout(this.retryTimer);
    clearInterval(this.countdownTimer);
    clearTimeout(this.stableTimer);
    this.pingTimer = this.retryTimer = this.countdownTimer = this.stableTimer = null;
  }
}
