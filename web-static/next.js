// Where the sign-in page sends a signed-in user: a path of this service, or "/". A pure function in a
// module of its own, so a test can hold it to a table of hostile inputs.

const MAX_LENGTH = 2048;
const BASE = 'http://this-service.invalid';

/**
 * The path to go to after signing in, from the page's ?next= value. Browsers drop tabs and newlines
 * inside a URL and read a backslash as a slash, so "/\t/evil.example" or "/\\evil.example" would
 * become "//evil.example", another site: any control character or backslash anywhere falls back to
 * "/". What is left must be a path ("/..."), must stay on this origin when resolved, and must not
 * resolve to a "//" path (as "/..//evil.example" does).
 */
export function safeNext(raw) {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_LENGTH) return '/';
  if (/[\u0000-\u001f\u007f-\u009f\\]/.test(raw)) return '/';
  if (!raw.startsWith('/') || raw.startsWith('//')) return '/';
  let url;
  try {
    url = new URL(raw, BASE);
  } catch {
    return '/';
  }
  if (url.origin !== BASE) return '/';
  const path = url.pathname + url.search + url.hash;
  return path.startsWith('/') && !path.startsWith('//') ? path : '/';
}
