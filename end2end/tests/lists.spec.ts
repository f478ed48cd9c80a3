// The public lists people can search (phone and desktop, with and without JavaScript): fill the filter
// form, submit it, find the fragment in the URL and in every result, read the total, and download the
// same result as an XLSX file.
import { test, expect, open } from "./fixtures";
import type { Page } from "@playwright/test";
import ExcelJS from "exceljs";

const SHOWCASE = "凤凰一品堂商贸有限公司";
const BLACKLISTED = "吉首一诺建材有限公司";

async function fitsWidth(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

/** Clicks the download link and reads the XLSX: the header row and the data rows as text. */
async function downloadSheet(page: Page) {
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "下载本结果（Excel）" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile((await download.path())!);
  const sheet = book.worksheets[0];
  const rows: string[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ""))));
  return rows;
}

test("licences: a name fragment in the form, the URL and every result, then the download", async ({ page, jsEnabled }) => {
  await open(page, "/credit/lists/licences", jsEnabled);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("行政许可公示");
  await page.getByLabel("名称（至少 2 个字）、统一社会信用代码或文书号").fill("一品堂");
  await page.locator("form.list-filters").getByRole("button", { name: "查询" }).click();
  await expect(page).toHaveURL(/\/credit\/lists\/licences\?.*q=%E4%B8%80%E5%93%81%E5%A0%82/);
  await expect(page.getByText(/^共 \d+ 条/)).toBeVisible();
  await expect(page.locator(".active-filters")).toContainText("一品堂");
  const results = page.locator(".record-list > li");
  await expect(results.first()).toContainText(SHOWCASE);
  for (const text of await results.allInnerTexts()) expect(text).toContain("一品堂");
  expect(await fitsWidth(page), "the filtered list fits the width").toBe(true);

  const rows = await downloadSheet(page);
  expect(rows[0][0]).toBe("行政相对人名称");
  expect(rows.length).toBeGreaterThan(1);
  for (const row of rows.slice(1)) expect(row[0]).toContain("一品堂");

  // The reset link clears every filter.
  await page.locator("form.list-filters").getByRole("link", { name: "重置" }).click();
  await expect(page).toHaveURL(/\/credit\/lists\/licences$/);
});

test("black list: authority and name filters together, kept in the URL", async ({ page, jsEnabled }) => {
  await open(page, "/credit/lists/black", jsEnabled);
  await page.getByLabel("名称（至少 2 个字）或统一社会信用代码").fill("一诺建材");
  await page.getByLabel("认定单位").fill("住房");
  await page.locator("form.list-filters").getByRole("button", { name: "查询" }).click();
  await expect(page).toHaveURL(/authority=%E4%BD%8F%E6%88%BF/);
  await expect(page).toHaveURL(/q=%E4%B8%80%E8%AF%BA%E5%BB%BA%E6%9D%90/);
  await expect(page.getByRole("link", { name: BLACKLISTED })).toBeVisible();
  await expect(page.getByText("共 1 条")).toBeVisible();
  const rows = await downloadSheet(page);
  expect(rows[0].slice(0, 3)).toEqual(["主体名称", "统一社会信用代码", "认定单位"]);
  expect(rows.length).toBe(2);
  expect(rows[1][0]).toBe(BLACKLISTED);

  // An authority that listed nobody: nothing, and the page says so.
  await page.getByLabel("认定单位").fill("不存在的认定单位");
  await page.locator("form.list-filters").getByRole("button", { name: "查询" }).click();
  await expect(page.getByText("共 0 条")).toBeVisible();
  await expect(page.getByText("没有符合条件的公示信息")).toBeVisible();
});
