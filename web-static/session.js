// Who is signed in: the top bar's email and Sign out button, and whether the dashboard may start.
import { api, setCsrfToken } from './api.js';
import { $ } from './dom.js';
import { isAdmin, mayAct, setMe } from './role.js';
import { toast } from './toast.js';

/**
 * Asks who is signed in (a 401 goes to the sign-in page), keeps the session's CSRF token, shows the
 * email and binds Sign out (which calls signingOut() first). Resolves to the staff user, or to null
 * when the dashboard cannot start (not signed in, not staff, or the server cannot be reached).
 */
export async function startSession({ signingOut }) {
  let me;
  try {
    me = await api('/api/auth/me');
  } catch (e) {
    if (e.status !== 401) {
      document.body.classList.remove('booting');
      toast(`The dashboard cannot start: ${e.message}`, 'error', { sticky: true });
    }
    return null;
  }
  setCsrfToken(me.csrfToken);
  setMe(me.user);
  // Each page has only some of these (the user page has no batch tab nor approval filter).
  const set = (sel, f) => { const el = $(sel); if (el) f(el); };
  set('#who', el => { el.textContent = me.user.email; });
  set('#who-role', el => { el.textContent = me.user.role ?? ''; });
  set('#staff-link', el => { el.hidden = !isAdmin(); });
  set('#tab-batch', el => { el.hidden = !mayAct(); });
  set('#approvable-option', el => { el.hidden = !mayAct(); });
  $('#logout')?.addEventListener('click', async () => {
    signingOut();
    try {
      await api('/api/auth/logout', { method: 'POST' });
    } finally {
      location.replace('/login.html');
    }
  });
  document.body.classList.remove('booting');
  if (!me.user.staff) {
    toast('This account is not staff: the payout queue is for staff only.', 'error', { sticky: true });
    return null;
  }
  return me.user;
}
