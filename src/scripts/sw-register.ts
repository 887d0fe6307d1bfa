/**
 * Registers the service worker (dist/sw.js, src/integrations/service-worker.ts) that keeps the
 * book readable offline after a first visit. Only in a production build (`astro dev` writes no
 * sw.js), and only once the page has loaded and the browser is idle: installing the worker
 * downloads the whole book (the onnxruntime .wasm, every model), which must never compete with
 * the page's own first figure.
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
  const whenIdle = () => {
    if ('requestIdleCallback' in window) requestIdleCallback(register, { timeout: 10_000 });
    else setTimeout(register, 2_000);
  };
  if (document.readyState === 'complete') whenIdle();
  else addEventListener('load', whenIdle, { once: true });
}
