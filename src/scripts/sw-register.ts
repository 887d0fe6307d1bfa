/**
 * Registers the service worker (dist/sw.js, src/integrations/service-worker.ts) that keeps the
 * book readable offline after a first visit. Only in a production build (`astro dev` writes no
 * sw.js), and only once the page has loaded, the browser is idle and no figure on the page is
 * still loading: installing the worker downloads the whole book (the onnxruntime .wasm, every
 * model), which must never compete with the page's own figures going live. A figure stuck
 * loading delays it by a minute at most.
 */
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  const register = () => {
    // Where workers are not allowed the book works as before, online: a sandboxed iframe's
    // opaque origin throws on reading navigator.serviceWorker, a browser setting may reject.
    try {
      navigator.serviceWorker.register(`${import.meta.env.BASE_URL}sw.js`).catch(() => undefined);
    } catch {
      // no worker here
    }
  };
  const until = Date.now() + 60_000;
  const whenIdle = () => {
    const ready = () =>
      !document.querySelector('[data-status="loading"]') || Date.now() > until
        ? register()
        : setTimeout(whenIdle, 1_000);
    if ('requestIdleCallback' in window) requestIdleCallback(ready, { timeout: 10_000 });
    else setTimeout(ready, 2_000);
  };
  if (document.readyState === 'complete') whenIdle();
  else addEventListener('load', whenIdle, { once: true });
}
