import { test as base, expect } from '@playwright/test';

/**
 * Shared Playwright fixtures. Every spec imports from here:
 *
 *   import { test, expect } from './fixtures';
 *
 * The automatic `guard` fixture watches the test's browser context (every page, popup and
 * iframe in it) and FAILS the test, after the test body, when
 *   - any console message of type `error` appears (uncaught promise rejections, failed
 *     resource loads such as a 404 for a model file, console.error calls), or
 *   - any uncaught exception occurs in a page (`pageerror`), or
 *   - any request goes to a host other than 127.0.0.1 / localhost / [::1] (data: and blob:
 *     URLs are fine). The book must work offline: no CDN, fonts, analytics or model hubs.
 *
 * Escape hatches, for tests that provoke an error on purpose:
 *   test.use({ allowedErrors: [/WebGPU is not available/] });  // or, inside one test:
 *   guard.allowError(/expected message/);
 *   test.use({ allowedHosts: ['127.0.0.1', 'localhost', 'example.org'] });
 * Pages opened with `browser.newPage()` / `browser.newContext()` are not watched; use the
 * `page` / `context` fixtures.
 */

export interface Guard {
  /** Every request URL made in the test's context, in order. */
  readonly requests: readonly string[];
  /** Console messages of type error, as `text (url:line)`. */
  readonly consoleErrors: readonly string[];
  /** Uncaught page exceptions. */
  readonly pageErrors: readonly string[];
  /** Requests to hosts other than the allowed ones. */
  readonly externalRequests: readonly string[];
  /** Tolerate console errors and page errors matching `pattern` for the rest of this test. */
  allowError(pattern: RegExp): void;
}

interface GuardOptions {
  /** Console errors / page errors matching any of these do not fail the test. */
  allowedErrors: RegExp[];
  /** Hostnames requests may go to. */
  allowedHosts: string[];
}

const LOCAL_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];
/** Schemes that never leave the machine. */
const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'about:']);

export const test = base.extend<{ guard: Guard } & GuardOptions>({
  allowedErrors: [[], { option: true }],
  allowedHosts: [LOCAL_HOSTS, { option: true }],

  guard: [
    async ({ context, allowedErrors, allowedHosts }, use, testInfo) => {
      const requests: string[] = [];
      const consoleErrors: string[] = [];
      const pageErrors: string[] = [];
      const externalRequests: string[] = [];
      const allowed = [...allowedErrors];
      const hosts = new Set(allowedHosts);
      const isAllowed = (text: string) => allowed.some((re) => re.test(text));

      context.on('request', (request) => {
        const url = request.url();
        requests.push(url);
        let parsed: URL;
        try {
          parsed = new URL(url);
        } catch {
          externalRequests.push(url);
          return;
        }
        if (LOCAL_SCHEMES.has(parsed.protocol)) return;
        if (!hosts.has(parsed.hostname)) externalRequests.push(url);
      });
      context.on('console', (message) => {
        if (message.type() !== 'error') return;
        const { url, lineNumber } = message.location();
        consoleErrors.push(url ? `${message.text()} (${url}:${lineNumber})` : message.text());
      });
      context.on('weberror', (webError) => {
        const error = webError.error();
        pageErrors.push(error.stack ?? `${error.name}: ${error.message}`);
      });

      const guard: Guard = {
        requests,
        consoleErrors,
        pageErrors,
        externalRequests,
        allowError: (pattern) => {
          allowed.push(pattern);
        },
      };
      await use(guard);

      if (requests.length > 0) {
        await testInfo.attach('requests.txt', {
          body: requests.join('\n'),
          contentType: 'text/plain',
        });
      }
      const problems = [
        ...consoleErrors.filter((e) => !isAllowed(e)).map((e) => `console error: ${e}`),
        ...pageErrors.filter((e) => !isAllowed(e)).map((e) => `page error: ${e}`),
        ...externalRequests.map((u) => `request to a non-local host: ${u}`),
      ];
      if (problems.length > 0) {
        throw new Error(
          `The page misbehaved during this test (see tests/e2e/fixtures.ts):\n  ${problems.join('\n  ')}`,
        );
      }
    },
    { auto: true },
  ],
});

export { expect };
