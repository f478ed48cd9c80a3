// 信用统计 (issue 19 item 5): the public statistics page draws its charts on the server (readable
// without JavaScript), each chart an image with a title and a table behind it, and fits a phone; the
// credit office's dashboard shows its charts and downloads each table as XLSX.
import { test, expect, open } from "./fixtures";
import { createUser, loginToConsole } from "./auth-helpers";

test("the public statistics page shows charts with titles and their tables", async ({ page, jsEnabled }) => {
  const res = await open(page, "/stats", jsEnabled);
  expect(res?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("信用统计");
  for (const id of ["stats-department", "stats-county", "stats-month"]) {
    const figure = page.getByTestId(id);
    const chart = figure.locator("svg[role='img']").first();
    await expect(chart).toBeVisible();
    await expect(chart).toHaveAttribute("aria-label", /.+/);
    await expect(chart.locator("title").first()).toHaveText(/.+/);
    // The numbers behind the chart, one click away (a <details>, no script needed).
    await figure.locator("summary").click();
    const table = figure.locator("table");
    await expect(table).toBeVisible();
    await expect(table.locator("tbody tr").first()).toBeVisible();
  }
  // The demo data has records on display in every chart.
  await expect(page.getByTestId("stats-county").locator("tbody tr")).toHaveCount(9);
  await expect(page.getByTestId("stats-month").locator("tbody tr")).toHaveCount(12);
  // Nothing wider than the screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test("the credit office reads the dashboard and downloads a table", async ({ page, request, baseURL, jsEnabled, isMobile }) => {
  test.skip(isMobile, "the statistics dashboard is a desktop task");
  const operator = await createUser(request, baseURL, "operator");
  await loginToConsole(page, operator.username, operator.password, jsEnabled);
  await open(page, "/console/stats", jsEnabled);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("统计分析");
  for (const id of ["stats-class", "stats-department", "stats-county", "stats-month", "stats-activity", "stats-quality"]) {
    await expect(page.getByTestId(id).locator("svg[role='img']").first()).toBeVisible();
  }
  const downloading = page.waitForEvent("download");
  await page.getByTestId("stats-department").getByRole("button", { name: "导出 Excel" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);

  // The printable monthly report: every table unfolded.
  await open(page, "/console/stats/monthly", jsEnabled);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("统计月报");
  await expect(page.getByTestId("stats-department").locator("table")).toBeVisible();
});
