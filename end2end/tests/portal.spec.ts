import { test, expect, open } from "./fixtures";
import type { Page } from "@playwright/test";
import { FIXED_PAGES, foundPages } from "./public-pages";

/** True when the page fits the viewport: nothing to scroll sideways. */
async function fitsWidth(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

test("from the home page to a column and an article, then to its neighbour", async ({ page, jsEnabled, isMobile }) => {
  await open(page, "/", jsEnabled);
  const notices = page.getByTestId("home-column-notice");
  await expect(notices.getByRole("heading", { name: "通知公告" })).toBeVisible();
  await notices.getByRole("link", { name: /更多\s*通知公告/ }).click();
  await expect(page).toHaveURL(/\/column\/notice$/);
  await expect(page.getByRole("heading", { level: 1, name: "通知公告" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "当前位置" })).toContainText("首页");
  const title = "关于开展2026年度信用修复集中服务月活动的通知";
  await page.getByRole("link", { name: title }).click();
  await expect(page).toHaveURL(/\/article\//);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(page.getByText("来源：湘西州信用办")).toBeVisible();
  await expect(page.getByTestId("views")).toContainText("浏览次数：");
  await expect(page).toHaveTitle(`${title} - 湘西州公共信用信息平台`);
  expect(await fitsWidth(page)).toBe(true);
  if (jsEnabled) await expect(page.getByRole("button", { name: "打印本页" })).toBeVisible();
  // The neighbours link to other notices.
  const neighbours = page.getByRole("navigation", { name: "上一篇和下一篇" });
  const other = neighbours.getByRole("link").first();
  const otherTitle = (await other.innerText()).trim();
  await other.click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(otherTitle);
  if (isMobile) expect(await fitsWidth(page)).toBe(true);
});

test("site search finds a 2-character word from the home page", async ({ page, jsEnabled }) => {
  await open(page, "/", jsEnabled);
  await page.getByRole("searchbox", { name: "搜索站内文章" }).fill("凤凰");
  await page.getByRole("search").getByRole("button", { name: "搜索" }).click();
  await expect(page).toHaveURL(/\/search\?q=/);
  await expect(page.getByRole("status")).toContainText("篇与“凤凰”相关的文章");
  await page.getByRole("link", { name: "凤凰县开展“信用+旅游”专项行动" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("凤凰县开展“信用+旅游”专项行动");
  // A word nobody wrote gives a helpful empty result.
  await open(page, "/search?q=" + encodeURIComponent("不存在的词语"), jsEnabled);
  await expect(page.getByText("没有找到与“不存在的词语”相关的文章")).toBeVisible();
});

test("portal pages fit a phone with 长辈版 on", async ({ page, context, jsEnabled, baseURL }) => {
  await context.addCookies([{ name: "elder", value: "1", url: baseURL! }]);
  for (const path of ["/", "/column/news", "/column/policy"]) {
    await open(page, path, jsEnabled);
    await expect(page.locator("html")).toHaveClass(/elder/);
    expect(await fitsWidth(page), `${path} fits the width`).toBe(true);
  }
  await page.getByRole("link", { name: "湘西州信用修复管理办法" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("湘西州信用修复管理办法");
  expect(await fitsWidth(page)).toBe(true);
});

test("public reading pages are sent without the WASM; the console still hydrates", async ({ page, jsEnabled }) => {
  test.skip(!jsEnabled, "about what the browser downloads and runs");
  const wasm: string[] = [];
  page.on("request", (r) => {
    if (r.url().endsWith(".wasm")) wasm.push(r.url());
  });
  await open(page, "/", jsEnabled);
  const article = await page.locator('a[href^="/article/"]').first().getAttribute("href");
  await open(page, "/column/news", jsEnabled);
  await open(page, article!, jsEnabled);
  // The static page script shows the print button (no WASM needed).
  await expect(page.getByRole("button", { name: "打印本页" })).toBeVisible();
  expect(wasm, "no WASM on public reading pages").toEqual([]);
  await open(page, "/login", jsEnabled);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  expect(wasm.length).toBeGreaterThan(0);
});

test.describe("every public page fits a phone and reads without JavaScript", () => {
  /** Answers 200, has a level-one heading with text, and nothing scrolls sideways. */
  async function checkFit(page: Page, path: string, jsEnabled: boolean) {
    const res = await open(page, path, jsEnabled);
    expect(res?.status(), `${path} answers`).toBe(200);
    await expect(page.locator("h1").first(), `${path} has a heading`).not.toBeEmpty();
    expect(await fitsWidth(page), `${path} fits the width`).toBe(true);
  }

  for (const path of FIXED_PAGES) {
    test(`page ${path}`, async ({ page, jsEnabled }) => {
      await checkFit(page, path, jsEnabled);
    });
  }

  test("pages reached through others: subject, record, article", async ({ page, jsEnabled }) => {
    for (const path of await foundPages(page, jsEnabled)) await checkFit(page, path, jsEnabled);
  });
});
