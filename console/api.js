// The one way the console talks to the server: JSON over fetch with the
// session's Bearer key. An error answer (RFC 9457 problem+json) becomes an
// ApiError carrying the problem's members for ui.problemBox to show.
let sessionKey = '';

export function setKey(key) { sessionKey = key; }
export function getKey() { return sessionKey; }

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem && problem.detail ? problem.detail : 'HTTP ' + status);
    this.status = status;
    this.problem = problem || {};
  }
}

export async function api(method, path, body) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (sessionKey) headers.Authorization = 'Bearer ' + sessionKey;
  const init = { method, headers };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, { code: 'network', detail: String(e && e.message ? e.message : e) });
  }
  const type = res.headers.get('Content-Type') || '';
  let data = null;
  if (type.includes('json')) {
    try { data = await res.json(); } catch (e) { data = null; }
  }
  if (!res.ok) {
    const problem = data && typeof data === 'object' ? data : { status: res.status };
    if (!problem.request_id) problem.request_id = res.headers.get('X-Request-Id') || undefined;
    throw new ApiError(res.status, problem);
  }
  return data;
}

// A query string from an object, leaving out empty values.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}
