// The public credit journey on every project (desktop, phone, with and without JavaScript): search a
// 2-character fragment, open the showcase subject, see only the penalty on display, request a report,
// download the PDF, verify it by its code, and see a changed copy fail the check.
import { test, expect, open } from "./fixtures";
import type { Page } from "@playwright/test";

const SHOWCASE = "凤凰一品堂商贸有限公司";

async function fitsWidth(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

test("search 凤凰, open a subject, get a signed report and verify it", async ({ page, jsEnabled }) => {
  await open(page, "/credit", jsEnabled);
  await page.getByRole("searchbox", { name: "企业名称或统一社会信用代码" }).fill("凤凰");
  await page.getByRole("search").getByRole("button", { name: "查询" }).click();
  await expect(page).toHaveURL(/\/credit\?q=/);
  await expect(page.getByText(/找到 \S+ 个信用主体/)).toBeVisible();
  expect(await fitsWidth(page), "results fit the width").toBe(true);
  await page.getByRole("link", { name: SHOWCASE }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(SHOWCASE);
  expect(await fitsWidth(page), "the subject page fits the width").toBe(true);

  // Penalties: the one on display shows; the expired and the repaired ones do not.
  const penalties = page.locator("#penalties");
  await expect(penalties).toContainText("凤市监罚〔展示〕1号");
  await expect(penalties).not.toContainText("凤市监罚〔展示〕2号");
  await expect(penalties).not.toContainText("凤市监罚〔展示〕3号");
  await expect(page.locator("#licences")).toContainText("食品经营许可决定书");

  // Request a report.
  await page.getByRole("link", { name: "申请信用报告" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("申请公共信用信息报告");
  await page.getByLabel("申请人（姓名或单位名称）").fill("湘西测试建设有限公司");
  await page.getByLabel("查询用途").fill("招投标");
  await page.getByRole("button", { name: "生成报告" }).click();
  await expect(page).toHaveURL(/\/verify\/[0-9A-Z]{12}\?issued=1$/);
  await expect(page.getByText("真实有效")).toBeVisible();
  const code = new URL(page.url()).pathname.split("/").pop()!;

  // Download the PDF (a phone can save or share it from here).
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "下载报告（PDF）" }).click(),
  ]);
  const path = await download.path();
  const fs = await import("node:fs");
  const pdf = fs.readFileSync(path!);
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");

  // Verify by the code.
  await open(page, "/verify", jsEnabled);
  await page.getByLabel("验证码").fill(code);
  await page.getByRole("button", { name: "核验" }).click();
  await expect(page.getByText("真实有效")).toBeVisible();
  await expect(page.getByText(SHOWCASE).first()).toBeVisible();

  // The unchanged file checks out; one changed byte of the signed content does not.
  await open(page, "/verify", jsEnabled);
  await page.getByLabel("或上传报告文件，检查它是否被改动").setInputFiles({
    name: "report.pdf",
    mimeType: "application/pdf",
    buffer: pdf,
  });
  await page.getByRole("button", { name: "检查文件" }).click();
  await expect(page.getByText("上传的文件与平台出具的报告一致")).toBeVisible();
  const altered = Buffer.from(pdf);
  altered[Math.floor(altered.length / 2)] ^= 0x01;
  await open(page, "/verify", jsEnabled);
  await page.getByLabel("或上传报告文件，检查它是否被改动").setInputFiles({
    name: "report.pdf",
    mimeType: "application/pdf",
    buffer: altered,
  });
  await page.getByRole("button", { name: "检查文件" }).click();
  await expect(page).toHaveURL(/\/verify\?result=altered$/);
  await expect(page.getByText("验证失败")).toBeVisible();
});

test("public lists: penalties latest first and the black list", async ({ page, jsEnabled }) => {
  await open(page, "/credit/lists/penalties", jsEnabled);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("行政处罚公示");
  await expect(page.getByText("凤市监罚〔展示〕3号")).toHaveCount(0);
  await page.getByRole("navigation", { name: "公示名单" }).getByRole("link", { name: "黑名单" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("严重失信主体名单（黑名单）");
  await expect(page.getByRole("link", { name: "吉首一诺建材有限公司" })).toBeVisible();
  expect(await fitsWidth(page)).toBe(true);
});
