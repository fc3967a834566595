// The API over fetch: JSON both ways with the session cookie, the CSRF token on every write, one
// error shape (ApiFailure: status, message, code), and sign-in for a session that has ended.

export class ApiFailure extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The session's CSRF token, from /api/auth/me; writes carry it. */
let csrf = null;

export function setCsrfToken(token) {
  csrf = token ?? null;
}

/** To the sign-in page, which comes back here afterwards. */
export function toLogin() {
  const next = location.pathname + location.search;
  location.replace(`/login.html?next=${encodeURIComponent(next)}`);
}

/** Who is signed in, as the raw answer: 200 with the user and CSRF token, or 401. */
export function fetchMe() {
  return fetch('/api/auth/me', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
}

/** JSON over fetch with the session cookie; writes carry the CSRF token; 401 goes to sign-in. */
export async function api(path, { method = 'GET', body, retried = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
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
    const me = await fetchMe();
    if (me.ok) {
      setCsrfToken((await me.json()).csrfToken);
      return api(path, { method, body, retried: true });
    }
  }
  if (!response.ok) {
    throw new ApiFailure(response.status, data?.error?.message ?? `The server answered ${response.status}.`, data?.error?.code);
  }
  return data;
}
