// The sign-in page: a signed-in visitor goes straight on; otherwise the form signs in, then goes to
// ?next= if that is a path of this service (safeNext), else to the dashboard.
import { fetchMe } from './api.js';
import { $ } from './dom.js';
import { safeNext } from './next.js';

async function initLogin() {
  const next = safeNext(new URLSearchParams(location.search).get('next'));
  try {
    const me = await fetchMe();
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

initLogin();
