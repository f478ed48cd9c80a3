import { test, expect, open } from "./fixtures";

test("home page shows demo data rendered by the server", async ({ page, jsEnabled }) => {
  const res = await open(page, "/", jsEnabled);
  expect(res?.status()).toBe(200);
  await expect(page).toHaveTitle("湘西州公共信用信息平台");
  await expect(page.locator(".brand-name")).toHaveText("湘西州公共信用信息平台");
  // Counts come from the database: the 300 demo subjects, plus any that collection tests running in
  // parallel added to the registry; 20 source units.
  const subjects = Number(await page.locator(".stat", { hasText: "信用主体" }).locator(".stat-value").innerText());
  expect(subjects).toBeGreaterThanOrEqual(300);
  expect(subjects).toBeLessThan(400);
  await expect(page.locator(".stat", { hasText: "信源单位" }).locator(".stat-value")).toHaveText("20");
  const penalties = page.getByTestId("latest-penalties").locator("li");
  const licences = page.getByTestId("latest-licences").locator("li");
  await expect(penalties.first()).toBeVisible();
  expect(await penalties.count()).toBeGreaterThan(3);
  expect(await licences.count()).toBeGreaterThan(3);
  await expect(page.getByRole("heading", { name: "信用动态" })).toBeVisible();
  // Landmarks for assistive technology.
  await expect(page.getByRole("main")).toBeVisible();
  await expect(page.getByRole("contentinfo")).toBeVisible();
});

test("navigation collapses on a phone and opens from the menu button", async ({ page, jsEnabled, isMobile }) => {
  await open(page, "/", jsEnabled);
  const link = page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "代码校验" });
  if (isMobile) {
    await expect(link).toBeHidden();
    await page.locator("label[for=nav-toggle]").click();
  }
  await expect(link).toBeVisible();
  await link.click();
  await expect(page).toHaveURL(/\/tools\/uscc$/);
});

test("长辈版 enlarges text and persists across pages", async ({ page, jsEnabled }) => {
  await open(page, "/", jsEnabled);
  const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  const before = await size();
  await page.getByTestId("elder-switch").click();
  await expect(page.locator("html")).toHaveClass(/elder/);
  expect(await size()).toBeGreaterThanOrEqual(before * 1.25);
  await expect(page.getByTestId("elder-switch")).toHaveText("标准版", { useInnerText: true });
  // Persisted: still on after loading another page.
  await open(page, "/tools/uscc", jsEnabled);
  await expect(page.locator("html")).toHaveClass(/elder/);
  // And it switches back.
  await page.getByTestId("elder-switch").click();
  await expect(page.locator("html")).not.toHaveClass(/elder/);
});

test.describe("not found", () => {
  // The browser itself logs the 404 status of the document; nothing else may appear.
  test.use({ expectedConsoleErrors: [/the server responded with a status of 404/] });

  test("unknown pages show a Chinese 404", async ({ page }) => {
  const res = await page.goto("/no-such-page");
  expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("页面不存在（404）");
    await expect(page.getByRole("link", { name: "返回首页" })).toBeVisible();
  });
});
