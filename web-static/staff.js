// The admin-only staff page: staff users with their roles, adding one, changing a role, disabling
// (their sessions and tokens stop at once) and enabling again. The server refuses anyone else (403).
import { api, setCsrfToken } from './api.js';
import { $, el } from './dom.js';
import { toast } from './toast.js';

const ROLES = ['admin', 'operator', 'viewer'];

async function main() {
  let me;
  try {
    me = await api('/api/auth/me');
  } catch {
    return; // a 401 went to the sign-in page
  }
  setCsrfToken(me.csrfToken);
  $('#who').textContent = me.user.email;
  if (me.user.role !== 'admin') {
    $('#staff-refused').hidden = false;
    return;
  }
  $('#staff-admin').hidden = false;
  $('#staff-form').addEventListener('submit', add);
  await load();
}

async function load() {
  try {
    const data = await api('/api/staff');
    $('#staff-rows').replaceChildren(...data.items.map(rowEl));
  } catch (e) {
    toast(`Could not load the staff: ${e.message}`, 'error');
  }
}

function rowEl(m) {
  const role = el('select', { 'aria-label': `Role of ${m.email}` },
    ROLES.map((r) => el('option', { value: r, selected: r === m.role }, r)));
  role.addEventListener('change', () => change(m, { role: role.value }));
  const toggle = el('button', { type: 'button', class: `btn small ${m.disabled ? 'primary' : 'danger-ghost'}` },
    m.disabled ? 'Enable' : 'Disable');
  toggle.addEventListener('click', () => change(m, { disabled: !m.disabled }));
  return el('tr', { dataset: { id: m.id, disabled: String(m.disabled) } },
    el('td', {}, m.email), el('td', {}, m.name), el('td', {}, role),
    el('td', {}, m.disabled ? 'disabled' : 'active'), el('td', {}, toggle));
}

async function change(m, body) {
  try {
    await api(`/api/staff/${m.id}`, { method: 'PATCH', body });
    toast(`${m.email} updated.`, 'ok');
  } catch (e) {
    toast(`Could not update ${m.email}: ${e.message}`, 'error');
  }
  await load();
}

async function add(e) {
  e.preventDefault();
  const form = e.currentTarget;
  const data = Object.fromEntries(new FormData(form));
  try {
    const created = await api('/api/staff', { method: 'POST', body: data });
    toast(`Added ${created.email} as ${created.role}.`, 'ok');
    form.reset();
  } catch (err) {
    toast(`Could not add ${data.email}: ${err.message}`, 'error');
  }
  await load();
}

main();
