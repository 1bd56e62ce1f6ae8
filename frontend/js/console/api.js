// The fleet API as the console uses it: the session cookie plus the CSRF token from sign-in,
// JSON in and out, errors as ApiError (status, body), and uploads with progress (XMLHttpRequest).
import { errorText } from './format.js';

export const API = '/api/v1';
export const UPGRADER = `${API}/firmware-upgrader`;

let csrfToken = '';
let onUnauthorized = () => {};

export class ApiError extends Error {
  constructor(status, body) {
    super(errorText(body, `HTTP ${status}`));
    this.status = status;
    this.body = body || {};
  }

  /** {field: [messages]} of a validation error. */
  get fields() {
    return this.body.errors && typeof this.body.errors === 'object' ? this.body.errors : {};
  }
}

export function setCsrfToken(token) {
  csrfToken = token || '';
}

/** Called once with a handler for 401 answers (the session ended). */
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

async function bodyOf(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text };
  }
}

/** One request; resolves {status, body, etag, location} for 2xx and 304, throws ApiError otherwise. */
export async function request(method, path, { json, headers = {}, quiet401 = false } = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers }, credentials: 'same-origin', cache: 'no-store' };
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) init.headers['X-CSRF-Token'] = csrfToken;
  if (json !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(json);
  }
  const response = await fetch(path, init);
  if (response.status === 304) return { status: 304, body: null, etag: response.headers.get('ETag') };
  const body = await bodyOf(response);
  if (!response.ok) {
    if (response.status === 401 && !quiet401) onUnauthorized();
    throw new ApiError(response.status, body);
  }
  return { status: response.status, body, etag: response.headers.get('ETag'), location: response.headers.get('Location') };
}

export const get = async (path) => (await request('GET', path)).body;
export const post = (path, json = {}) => request('POST', path, { json });
export const put = (path, json) => request('PUT', path, { json });
export const patch = (path, json) => request('PATCH', path, { json });
export const del = (path) => request('DELETE', path);

/** For poll(): a GET with extra headers (If-None-Match). */
export const getWithHeaders = (path, headers) => request('GET', path, { headers });

/** All results of a list (following pages of 100), for small lists such as choices in a form. */
export async function getAll(path, query = '') {
  const results = [];
  let page = 1;
  for (;;) {
    const separator = path.includes('?') || query ? '&' : '?';
    const body = await get(`${path}${query ? `?${query}` : ''}${separator}page_size=100&page=${page}`);
    results.push(...body.results);
    if (!body.next || results.length >= body.count) return results;
    page++;
  }
}

/**
 * A multipart upload with progress: onProgress(loaded, total) as the body goes out.
 * Resolves {status, body}; rejects with ApiError. Returns {promise, abort}.
 */
export function upload(path, formData, onProgress) {
  const xhr = new XMLHttpRequest();
  const promise = new Promise((resolve, reject) => {
    xhr.open('POST', path);
    xhr.setRequestHeader('Accept', 'application/json');
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(event.loaded, event.total);
    });
    xhr.addEventListener('load', () => {
      let body = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = { detail: xhr.responseText };
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve({ status: xhr.status, body });
      else {
        if (xhr.status === 401) onUnauthorized();
        reject(new ApiError(xhr.status, body));
      }
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, { detail: 'The connection failed during the upload.' })));
    xhr.addEventListener('abort', () => reject(new ApiError(0, { detail: 'Upload cancelled.' })));
    xhr.send(formData);
  });
  return { promise, abort: () => xhr.abort() };
}
