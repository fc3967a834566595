// Who is signed in and what their role lets the page offer: a viewer reads and gets no action
// buttons, an operator acts on payouts, an admin also manages staff. The server decides (403 for
// anything a role may not do); this only keeps the page from offering it.

let me = null;

export function setMe(user) {
  me = user;
  document.body.dataset.role = user?.role ?? '';
}

/** Approve, reject, process, retry, batch. */
export const mayAct = () => me?.role === 'admin' || me?.role === 'operator';

export const isAdmin = () => me?.role === 'admin';

/** Whether the signed-in user gave one of the payout's approvals already. */
export const approvedByMe = (p) => (p.approvals ?? []).some((a) => (a.actor ?? '').startsWith(`user:${me?.id}:`));
