import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests against the built book (`dist/`), served by `astro preview`.
 * `npm test` builds first; to run only these, `npm run build && npm run test:e2e`.
 *
 * Another build, on another port (so a test run never serves a `dist/` someone is rebuilding):
 *   npx astro build --outDir dist-stress
 *   E2E_DIST=dist-stress E2E_PORT=4400 npx playwright test tests/e2e/stress
 * With E2E_DIST set, an already running server on E2E_PORT is never reused: Playwright starts
 * its own `astro preview --outDir $E2E_DIST` (and fails if the port is taken). The stress specs
 * also check that the server serves exactly the `figures.json` in E2E_DIST (tests/e2e/stress/manifest.ts).
 *
 * Browser: Debian's Chromium at /usr/bin/chromium (scripts/env.sh --chromium installs it with
 * apt-get; Playwright's own browser download does not work offline). Override with
 * CHROMIUM_PATH.
 *
 * Two projects:
 * - `chromium`: every spec except the WebGPU ones, with the GPU disabled.
 * - `webgpu`: tests tagged `@webgpu` (`test('…', { tag: '@webgpu' }, …)`) and every test in a
 *   file named `*.webgpu.spec.ts`. Verified by experiment on this machine (Chromium 156,
 *   headless, no GPU): with `--enable-unsafe-webgpu`, `navigator.gpu.requestAdapter()` returns
 *   Dawn's SwiftShader (CPU Vulkan) adapter, `info.architecture === 'swiftshader'`,
 *   `isFallbackAdapter === true`, and `requestDevice()` plus a compute shader work. Without
 *   that flag it returns null ("No available adapters." console warning). `--disable-gpu`,
 *   `--enable-features=Vulkan` and `--use-angle=swiftshader` make no difference either way, so
 *   the project only adds `--enable-unsafe-webgpu` and leaves out `--disable-gpu`.
 */

const executablePath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Keep Chromium off the network: without these it keeps dialling Google services. */
const quiet = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Selects WebGPU tests by tag, or by file name (the file's path is part of the grep title). */
const webgpuTests = [/@webgpu\b/, /\.webgpu\.spec\.ts\b/];

const port = Number(process.env['E2E_PORT'] ?? 4321);
const baseURL = `http://127.0.0.1:${port}`;
const ci = !!process.env['CI'];
/** The build under test; `astro preview` serves `dist/` unless told otherwise. */
const dist = process.env['E2E_DIST'];

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  // Its own folder for another build: parallel runs must not delete each other's traces.
  outputDir: dist ? `test-results-${dist.replace(/\W+/g, '-')}` : 'test-results',
  forbidOnly: ci,
  retries: ci ? 1 : 0,
  // Every test is independent (its own context and page): any worker may take any test, so
  // a long spec file no longer runs on one worker while the other idles.
  fullyParallel: true,
  // Two, one per core: the tabs are busy compiling onnxruntime's WebAssembly, not waiting. On 16
  // faults tests (2026-12-02, shared machine, load 10-30) 4 workers took 218 s of wall time and
  // 2 took 232 s, within the load's noise, while each test ran 1.7x longer (closer to its
  // timeout). E2E_WORKERS overrides, for measuring.
  workers: Number(process.env['E2E_WORKERS'] ?? 2),
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // 'list' as it runs; at the end, seconds per spec file, the slowest tests and the total.
  reporter: [['list'], ['./tests/e2e/time-reporter.ts']],
  use: {
    baseURL,
    // A trace is recorded only when a failed test runs again (CI retries once): recording one for
    // every test, in case it fails, made the faults spec 46% slower (368 s against 252 s of test
    // time, 2026-12-02). Locally, `--trace retain-on-failure` (or `on`) records them.
    trace: 'on-first-retry',
    screenshot: 'only-on-failure',
    // The book registers a service worker (src/scripts/sw-register.ts). Once active it answers
    // the page's requests itself, and page.route never sees those: specs that route or count
    // requests would test the worker's cache instead. Blocked here; tests/e2e/offline.spec.ts
    // allows it and tests the worker.
    serviceWorkers: 'block',
  },
  projects: [
    {
      name: 'chromium',
      grepInvert: webgpuTests,
      use: {
        browserName: 'chromium',
        launchOptions: { executablePath, args: [...quiet, '--disable-gpu'] },
      },
    },
    {
      name: 'webgpu',
      grep: webgpuTests,
      use: {
        browserName: 'chromium',
        launchOptions: { executablePath, args: [...quiet, '--enable-unsafe-webgpu'] },
      },
    },
  ],
  webServer: {
    // --ignore-lock: astro preview otherwise refuses a second server in the same project.
    command: dist
      ? `astro preview --outDir ${dist} --host 127.0.0.1 --port ${port} --ignore-lock`
      : `astro preview --host 127.0.0.1 --port ${port}`,
    url: baseURL,
    reuseExistingServer: !ci && !dist,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
