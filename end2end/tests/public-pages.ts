// Every public page of the portal, for the phone-fit, no-JavaScript and axe checks (issue 19 item 6).
// Pages that only exist with data are found through the pages that link to them.
import type { Page } from "@playwright/test";
import { expect, open } from "./fixtures";

/** The showcase subject of the demo data (server/src/seed/showcase.rs). */
export const SHOWCASE = "凤凰一品堂商贸有限公司";

/** Public pages with a fixed address. */
export const FIXED_PAGES = [
  "/",
  "/credit",
  "/credit/lists/licences",
  "/credit/lists/penalties",
  "/credit/lists/red",
  "/credit/lists/black",
  "/credit/lists/watch",
  "/credit/lists/commitments",
  "/commitments/new",
  "/verify",
  "/tools/uscc",
  "/search?q=" + encodeURIComponent("信用"),
  "/column/repair",
  "/column/policy",
  "/help",
  "/help/consult",
  "/help/qa",
  "/help/training",
  "/column/training",
  "/repair",
  "/track",
  "/objection",
  "/complaint/apply",
  "/stats",
];

/** The first link whose address starts with `prefix` on the page at `from`. */
async function firstLink(page: Page, from: string, prefix: string, jsEnabled: boolean): Promise<string> {
  await open(page, from, jsEnabled);
  const href = await page.locator(`a[href^="${prefix}"]`).first().getAttribute("href");
  expect(href, `a link to ${prefix}… on ${from}`).toBeTruthy();
  return href!;
}

/** Public pages reached through others: the showcase subject, a 双公示 record, a guide article. */
export async function foundPages(page: Page, jsEnabled: boolean): Promise<string[]> {
  return [
    await firstLink(page, "/credit?q=" + encodeURIComponent(SHOWCASE), "/credit/subject/", jsEnabled),
    await firstLink(page, "/credit/lists/penalties", "/credit/record/", jsEnabled),
    await firstLink(page, "/column/repair", "/article/", jsEnabled),
  ];
}

/** The subject pages the first three result pages of a search for "公司" link to, in order. */
export async function companySubjects(page: Page, jsEnabled: boolean): Promise<string[]> {
  const subjects: string[] = [];
  for (const n of [1, 2, 3]) {
    await open(page, `/credit?q=${encodeURIComponent("公司")}&page=${n}`, jsEnabled);
    const found = await page
      .locator('a[href^="/credit/subject/"]')
      .evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
    for (const f of found) if (!subjects.includes(f)) subjects.push(f);
  }
  return subjects;
}
