// The sign-in page: a signed-in visitor goes straight on; otherwise the form signs in, then goes to
// ?next= if that is a path of this service (safeNext), else to the dashboard.
//
// The form's handler is in place before anything is awaited: a form submitted while the "already
// signed in?" check was still on its way would otherwise go the browser's own way, a GET of this page
// with the email and the password in its address (and in the history, the logs, the Referer).
import { fetchMe } from './api.js';
import { $ } from './dom.js';
import { safeNext } from './next.js';

function initLogin() {
  const next = safeNext(new URLSearchParams(location.search).get('next'));
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
  fetchMe().then((me) => {
    if (me.ok) location.replace(next);
  }).catch(() => {
    // not signed in, or the server is away: the form says more when it is used
  });
}

initLogin();
