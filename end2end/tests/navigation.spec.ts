// Navigation that works (issue 19): every link of the main navigation, the footer, the home page's
// hero and 便民服务 quick links (and the sub-columns of the column pages they lead to) opens a page
// with content: HTTP 200, a level-one heading with text, and never an empty column.
import type { Page } from "@playwright/test";
import { test, expect, open } from "./fixtures";

/** True when the page fits the viewport: nothing to scroll sideways. */
async function fitsWidth(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

/** The site's own links (paths) inside the elements the selector finds, in page order. */
async function paths(page: Page, selector: string): Promise<string[]> {
  const hrefs = await page.locator(selector).evaluateAll((links) =>
    links.map((a) => (a as HTMLAnchorElement).getAttribute("href") ?? ""),
  );
  return hrefs.filter((h) => h.startsWith("/") && !h.startsWith("//"));
}

test.describe("every link from the home page", () => {
  // A missing page makes the browser log its 404 status; the test reports the link itself.
  test.use({ expectedConsoleErrors: [/the server responded with a status of 404/] });

  test("opens a page with content", async ({ page, jsEnabled }) => {
    test.setTimeout(180_000);
    await open(page, "/", jsEnabled);
    const groups: Record<string, string[]> = {
      nav: await paths(page, 'nav[aria-label="主导航"] a'),
      footer: await paths(page, "footer a"),
      hero: await paths(page, ".hero a"),
      quick: await paths(page, ".quick-links a"),
    };
    // 信用信息查询 comes first after 首页.
    expect(groups.nav.slice(0, 2)).toEqual(["/", "/credit"]);
    for (const [name, list] of Object.entries(groups)) {
      expect(list.length, `${name} links`).toBeGreaterThan(0);
    }
    const queue = [...new Set(Object.values(groups).flat())];
    const seen = new Set<string>();
    const failures: string[] = [];
    while (queue.length > 0) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const res = await page.goto(path);
      const status = res?.status() ?? 0;
      if (status !== 200) {
        failures.push(`${path}: HTTP ${status}`);
        continue;
      }
      if (jsEnabled) {
        await page.waitForFunction(
          () => document.body?.dataset.hydrated === "true" || document.body?.dataset.enhanced === "true",
          undefined,
          { timeout: 10_000 },
        );
      }
      const h1 = page.locator("h1").first();
      const heading = (await h1.count()) > 0 ? (await h1.innerText()).trim() : "";
      if (heading === "") failures.push(`${path}: no h1 with text`);
      if ((await page.getByText("本栏目暂无文章").count()) > 0) failures.push(`${path}: 本栏目暂无文章`);
      // A column's sub-columns are part of the navigation too; not the empty 县市动态 columns that
      // cms-site.js-only.spec.ts adds (on the same server) to see them on the health board.
      if (path.startsWith("/column/")) {
        const subColumns = await paths(page, 'nav[aria-label="子栏目"] a');
        queue.push(...subColumns.filter((p) => !p.startsWith("/column/county-")));
      }
    }
    expect(seen.size).toBeGreaterThan(15);
    expect(failures, "links that do not open a page with content").toEqual([]);
  });
});

test("the main navigation is reachable on a phone, also without JavaScript, and fits", async ({
  page,
  jsEnabled,
  isMobile,
}) => {
  await open(page, "/", jsEnabled);
  const nav = page.getByRole("navigation", { name: "主导航" });
  const first = nav.getByRole("link", { name: "信用信息查询" });
  if (isMobile) {
    await expect(first).toBeHidden();
    // The label opens the menu through its checkbox: no script needed.
    await page.locator("label[for=nav-toggle]").click();
  }
  const links = nav.getByRole("link");
  const count = await links.count();
  expect(count).toBeGreaterThan(8);
  for (let i = 0; i < count; i++) await expect(links.nth(i)).toBeVisible();
  expect(await fitsWidth(page), "the open menu fits the width").toBe(true);
  await first.click();
  await expect(page).toHaveURL(/\/credit$/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
});

test("the footer's 异议申诉 leads to the objection guide", async ({ page, jsEnabled }) => {
  await open(page, "/", jsEnabled);
  await page.getByRole("contentinfo").getByRole("link", { name: "异议申诉" }).click();
  await expect(page).toHaveURL(/\/column\/objection$/);
  await page.getByRole("link", { name: "信用信息异议申诉办理指南" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("信用信息异议申诉办理指南");
});

test("the download column offers real forms", async ({ page, jsEnabled, request, baseURL }) => {
  await open(page, "/column/download", jsEnabled);
  await page.getByRole("link", { name: "信用修复申请表和承诺书（范本）" }).click();
  const files = page.getByRole("region", { name: "附件" }).getByRole("link");
  await expect(files).toHaveCount(2);
  for (const href of await files.evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""))) {
    const res = await request.get(`${baseURL}${href}`);
    expect(res.status(), href).toBe(200);
    expect(res.headers()["content-disposition"], href).toMatch(/^attachment/);
    // XLSX and DOCX are zip packages.
    expect((await res.body()).subarray(0, 2).toString()).toBe("PK");
  }
});
