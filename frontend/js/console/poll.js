// Polling a JSON resource with ETag / If-None-Match: a 304 costs no body and no re-render.
// The fetch function and the timer are parameters, so that node tests drive it without a network.

/**
 * Polls `url` every `intervalMs` until `stop()` or until `done(body)` is true.
 * onChange(body) runs for every answer with a new body (never for a 304);
 * onError(error) for failed requests (polling goes on). Returns {stop, now}.
 * `nextUrl(body)` may give the address of the next request (e.g. with a cursor).
 */
export function poll({ url, intervalMs = 2000, fetchJson, onChange, onError = () => {}, done = () => false, nextUrl = null, setTimer = setTimeout, clearTimer = clearTimeout }) {
  let etag = null;
  let current = url;
  let timer = null;
  let stopped = false;
  let running = null;

  async function tick() {
    timer = null;
    if (stopped) return;
    let finished = false;
    try {
      const answer = await fetchJson(current, etag ? { 'If-None-Match': etag } : {});
      if (stopped) return;
      if (answer.status !== 304) {
        if (answer.etag) etag = answer.etag;
        if (nextUrl) {
          const next = nextUrl(answer.body);
          if (next && next !== current) {
            current = next;
            etag = null;
          }
        }
        onChange(answer.body);
        finished = Boolean(done(answer.body));
      }
    } catch (error) {
      if (stopped) return;
      onError(error);
    }
    if (!stopped && !finished) timer = setTimer(run, intervalMs);
  }

  function run() {
    running = tick();
    return running;
  }

  run();
  return {
    stop() {
      stopped = true;
      if (timer !== null) clearTimer(timer);
      timer = null;
    },
    /** Polls at once (after an action), instead of waiting for the timer. */
    now() {
      if (stopped) return running;
      if (timer !== null) {
        clearTimer(timer);
        timer = null;
        return run();
      }
      return running;
    },
    get etag() {
      return etag;
    },
  };
}
