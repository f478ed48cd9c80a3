// Shared fixtures: the server's URL, a page that fails the test on any console error, and helpers
// that know whether the project runs with JavaScript.
import { test as base, expect, Page } from "@playwright/test";

export const test = base.extend<{ jsEnabled: boolean; expectedConsoleErrors: RegExp[] }>({
  // Console errors a test expects (e.g. the browser's own "status of 404" line on a 404 page).
  expectedConsoleErrors: [[], { option: true }],
  baseURL: async ({}, use) => {
    const url = process.env.E2E_BASE_URL;
    if (!url) throw new Error("E2E_BASE_URL is not set: global-setup did not run");
    await use(url);
  },
  jsEnabled: async ({}, use, info) => {
    await use(info.project.use.javaScriptEnabled !== false);
  },
  page: async ({ page, expectedConsoleErrors }, use) => {
    const errors: string[] = [];
    page.on("console", (m) => {
      // A failed load names its resource only in the message's location.
      if (m.type() === "error") errors.push(m.location().url ? `${m.text()} [${m.location().url}]` : m.text());
    });
    // The browser's "Failed to load resource" line does not name the resource: these do.
    const failed: string[] = [];
    page.on("response", (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.request().method()} ${r.url()}`);
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    await use(page);
    // test.use may hand over a single pattern rather than a list.
    const allowed = ([] as RegExp[]).concat(expectedConsoleErrors);
    const unexpected = errors.filter((e) => !allowed.some((re) => re.test(e)));
    expect(unexpected, `browser console errors (responses >= 400: ${failed.join("; ") || "none"})`).toEqual([]);
  },
});

export { expect };

/** Opens a path and, with JavaScript on, waits until the page is ready in the browser: hydrated by
 *  the WASM, or (public reading pages, sent without it) enhanced by the static page script. */
export async function open(page: Page, path: string, jsEnabled: boolean) {
  const res = await page.goto(path);
  if (jsEnabled) {
    await page.waitForFunction(
      () => document.body?.dataset.hydrated === "true" || document.body?.dataset.enhanced === "true",
      undefined,
      { timeout: 10_000 },
    );
  }
  return res;
}
