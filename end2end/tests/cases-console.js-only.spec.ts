// The credit office's case console (issue 20): a complaint received by phone is entered on the desk and
// gets a tracking code the applicant can read; the case statistics show their charts with data tables
// and download as XLSX with the same numbers.
import { test, expect, open } from "./fixtures";
import { createUser, loginToConsole } from "./auth-helpers";

// The refused contact is answered 422 (the browser logs the status).
test.use({ expectedConsoleErrors: [/status of 422/] });

test("the office enters a phone complaint and reads the case statistics", async ({ page, baseURL, request }) => {
  test.setTimeout(60_000);
  const office = await createUser(request, baseURL, "operator");
  await loginToConsole(page, office.username, office.password, true);

  await open(page, "/console/cases", true);
  const entry = page.getByTestId("case-entry");
  await entry.locator("summary").click();
  await entry.getByLabel("类型").selectOption("complaint");
  await entry.getByLabel("来源渠道").selectOption({ label: "电话" });
  await entry.getByLabel("情况说明").fill("来电反映：信用报告核验页面打开较慢。");
  await entry.getByLabel("申请人姓名").fill("刘敏");
  // A contact that is neither a phone number nor an e-mail address is refused, naming the field.
  await entry.getByLabel(/联系电话/).fill("刘敏家");
  await entry.getByRole("button", { name: "登记" }).click();
  await expect(entry.getByRole("alert")).toContainText("手机号码");
  await entry.getByLabel(/联系电话/).fill("0743-8221234");
  await entry.getByRole("button", { name: "登记" }).click();
  const entered = entry.getByTestId("entered-code");
  await expect(entered).toContainText("查询码");
  const code = (await entered.innerText()).match(/[2-9A-HJKMNP-Z]{16}/)?.[0];
  expect(code).toBeTruthy();

  // The applicant reads it by code.
  await open(page, `/track?code=${code}`, true);
  await expect(page.getByTestId("tracked-state")).toHaveText("已提交，待受理");

  // The statistics count it among the complaints, with a chart and its table, and export it.
  await open(page, "/console/cases/stats?kind=complaint", true);
  const total = Number(await page.getByTestId("case-total").innerText());
  expect(total).toBeGreaterThanOrEqual(1);
  await expect(page.getByTestId("case-by-month").locator('[role="img"]')).toHaveCount(1);
  await expect(page.getByTestId("case-by-month").locator("table")).toHaveCount(1);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "导出 Excel" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  const bytes = await (await download.createReadStream()).toArray();
  // An XLSX is a zip: it starts with "PK".
  expect(Buffer.concat(bytes).subarray(0, 2).toString()).toBe("PK");
});
