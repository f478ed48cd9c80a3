// A clerk's journey through data collection: upload a CSV with faults, read the fault list, download
// the error report, fix it, upload it again, confirm, and find the record on the quality board and the
// portal home page.
// Runs with and without JavaScript (the upload and every action are plain forms).
import ExcelJS from "exceljs";
import { test, expect, open } from "./fixtures";
import { createUser, loginToConsole } from "./auth-helpers";
import { uscc, todayInBeijing } from "./collect-helpers";

// The browser logs the status of refused form posts (422) with JavaScript on.
test.use({ expectedConsoleErrors: [/status of 422/] });

test("a clerk uploads, fixes the faulty rows from the error report, confirms, and the record goes public", async ({ page, request, baseURL, jsEnabled, isMobile }) => {
  test.skip(isMobile, "the collection journey is a desktop task");
  test.setTimeout(90_000);
  const clerk = await createUser(request, baseURL, "clerk", { department_index: 0 });
  await loginToConsole(page, clerk.username, clerk.password, jsEnabled);

  // The clerk's unit, as the console bar shows it: it is the deciding authority of the rows below, so
  // the platform fills the authority's code and the source-unit fields from the unit's own details.
  const unit = (await page.getByTestId("console-user").innerText()).split(" · ")[1].trim();
  const tag = `${Date.now().toString(36)}${jsEnabled ? "j" : "n"}`;
  const serial = Math.floor(Math.random() * 1e9);
  const good = uscc(serial);
  const second = uscc(serial + 1);
  const broken = second.slice(0, 17) + (second[17] === "0" ? "1" : "0");
  const name = `湘西测试${tag}商贸有限公司`;
  const date = todayInBeijing();
  const header = "CF_WSH,CF_CFMC,CF_CFLB,CF_SY,CF_YJ,CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_FRDB,CF_NR,CF_NR_FK,CF_JDRQ,CF_CFJG";
  const row = (no: string, code: string, basis: string, who: string) =>
    `湘西市监罚〔2026〕${tag}${no}号,销售不合格产品,罚款,经查当事人销售不合格产品,${basis},${who},法人及非法人组织,${code},张三,罚款0.5万元,0.5,${date},${unit}`;
  const csv = [
    header,
    row("1", good, "《产品质量法》第四十九条", name),
    row("2", broken, "《产品质量法》第四十九条", `湘西测试${tag}二号有限公司`),
    row("3", uscc(serial + 2), "", `湘西测试${tag}三号有限公司`),
  ].join("\r\n");

  await open(page, "/console/collect", jsEnabled);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("数据报送");
  await page.getByLabel("数据类别", { exact: true }).selectOption("penalty");
  await page.getByLabel("数据文件", { exact: true }).setInputFiles({ name: `处罚${tag}.csv`, mimeType: "text/csv", buffer: Buffer.from(csv, "utf8") });
  await page.getByRole("button", { name: "上传并检查" }).click();

  // The batch page refreshes itself until the check is done.
  await expect(page).toHaveURL(/\/console\/collect\/batch\//);
  await expect(page.getByTestId("batch-status")).toHaveText("待确认", { timeout: 30_000 });
  await expect(page.getByTestId("count-new")).toHaveText("1");
  await expect(page.getByTestId("count-faulty")).toHaveText("2");
  const faults = page.getByTestId("fault-list");
  await expect(faults.getByRole("row").filter({ hasText: "USCC_CHECK_CHAR" })).toContainText("第18位校验码错误");
  await expect(faults.getByRole("row").filter({ hasText: "REQ_MISSING" })).toContainText("处罚依据");
  const batchUrl = page.url();

  // The error report: the two faulty rows as sent, with reasons.
  const downloading = page.waitForEvent("download");
  await page.getByTestId("download-errors").click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(await download.path());
  const sheet = book.worksheets[0];
  const headers = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  expect(headers[0]).toBe("原行号");
  expect(headers[headers.length - 1]).toBe("错误说明");
  expect(sheet.rowCount).toBe(3);
  const col = (h: string) => headers.indexOf(h) + 1;
  expect(String(sheet.getRow(2).getCell(1).value)).toBe("2");
  expect(String(sheet.getRow(2).getCell(col("错误说明")).value)).toContain("校验码");
  // Fix both rows in the downloaded file and upload it as it is.
  sheet.getRow(2).getCell(col("CF_XDR_SHXYM")).value = second;
  sheet.getRow(3).getCell(col("CF_YJ")).value = "《产品质量法》第四十九条";
  const fixed = Buffer.from(await book.xlsx.writeBuffer());

  // Confirm the clean row of the first batch.
  await page.getByTestId("confirm-batch").click();
  await expect(page.getByTestId("batch-status")).toHaveText("已发布");

  await open(page, "/console/collect", jsEnabled);
  await page.getByLabel("数据类别", { exact: true }).selectOption("penalty");
  await page.getByLabel("数据文件", { exact: true }).setInputFiles({
    name: `处罚${tag}-错误数据.xlsx`,
    mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    buffer: fixed,
  });
  await page.getByRole("button", { name: "上传并检查" }).click();
  await expect(page.getByTestId("batch-status")).toHaveText("待确认", { timeout: 30_000 });
  await expect(page.getByTestId("count-new")).toHaveText("2");
  await expect(page.getByTestId("count-faulty")).toHaveText("0");
  await expect(page.getByTestId("download-errors")).toHaveCount(0);
  await page.getByTestId("confirm-batch").click();
  await expect(page.getByTestId("batch-status")).toHaveText("已发布");
  expect(page.url()).not.toBe(batchUrl);

  // Staff find the record with its history; the version links back to its batch.
  await open(page, `/console/records?kind=penalty&q=${encodeURIComponent(name)}`, jsEnabled);
  await page.getByTestId("record-list").getByRole("link", { name: `湘西市监罚〔2026〕${tag}1号` }).click();
  await expect(page.getByTestId("record-state")).toHaveText("公示中");
  await expect(page.getByTestId("record-fields")).toContainText(good);
  await expect(page.getByTestId("version-list")).toContainText("第 1 版 · 首次报送");

  // The quality board counts the unit's published penalties and checked rows of this month, and the
  // monthly report advises on the fault the unit made (a wrong check character).
  await open(page, "/console/quality", jsEnabled);
  const qrow = page.getByTestId("quality-rows").locator("tbody tr").filter({ hasText: unit }).filter({ hasText: "行政处罚" });
  await expect(qrow).toHaveCount(1);
  expect(Number(await qrow.locator("td[data-label='发布记录']").innerText())).toBeGreaterThanOrEqual(3);
  expect(Number(await qrow.locator("td[data-label='有误行数']").innerText())).toBeGreaterThanOrEqual(2);
  await expect(qrow.locator("td[data-label='准确性']")).toHaveText(/^\d+\.\d%$/);
  await page.getByTestId("quality-league").getByRole("row").filter({ hasText: unit }).getByRole("link", { name: "查看月报" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`${unit} 数据质量月报`);
  await expect(page.getByTestId("quality-advice")).toContainText("校验位");

  // The first batch's record is public: on the home page among the latest penalties.
  await open(page, "/", jsEnabled);
  await expect(page.getByText(name).first()).toBeVisible();
});

test("an upload that is not a table is refused with a clear message", async ({ page, request, baseURL, jsEnabled, isMobile }) => {
  test.skip(isMobile, "desktop task");
  const clerk = await createUser(request, baseURL, "clerk", { department_index: 0 });
  await loginToConsole(page, clerk.username, clerk.password, jsEnabled);
  await open(page, "/console/collect", jsEnabled);
  await page.getByLabel("数据文件", { exact: true }).setInputFiles({ name: "report.pdf", mimeType: "application/pdf", buffer: Buffer.from("MZ\x90\x00 not a table") });
  await page.getByRole("button", { name: "上传并检查" }).click();
  await expect(page.getByRole("alert")).toContainText("只接受 CSV");
  await expect(page.getByRole("link", { name: "返回数据报送" })).toBeVisible();
});
