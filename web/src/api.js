// The one way the console talks to `mamori serve`: JSON over same-origin fetch, with the
// session cookie and, on every state-changing request, the X-CSRF-Token of the session.
// A 401 from any call (except the session endpoint itself) sends the user to the login page.

let csrfToken = null;
let onUnauthorized = () => {};

export function setCsrfToken(token) {
  csrfToken = token || null;
}

export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

export class ApiError extends Error {
  constructor(status, data, path) {
    const e = data && data.error;
    super(e ? e.message + (e.context ? ` (${e.context})` : '') : `HTTP ${status} from ${path}`);
    this.status = status;
    this.data = data;
    this.code = e ? e.code : '';
  }
}

export async function api(path, { method = 'GET', body, signal, raw = false } = {}) {
  const headers = { Accept: 'application/json' };
  let payload;
  if (body instanceof Blob) {
    payload = body;
    headers['Content-Type'] = 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', signal });
  if (raw) return res;
  const text = await res.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (res.status === 401 && !path.startsWith('/api/v1/session')) onUnauthorized();
  if (!res.ok) throw new ApiError(res.status, data, path);
  return data;
}

// Builds "/path?a=1&b=2" leaving out empty values.
export function withQuery(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '' && v !== false) q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
