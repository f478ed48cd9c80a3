// 联合奖惩: the closed loop (issue 21). The office imports the measures list and links a sanction to a
// new matter of a clerk's unit; the clerk checks a black-listed company for that matter, sees the hit and
// the measure, records feedback, and checks it again without answering; the statistics count both; the
// clock passes the feedback deadline and the unanswered check turns overdue and alarms the office. A
// batch of subjects is checked in the background. The unit's own system frames the check page: allowed
// from the origin the office registered, refused from another. It moves the server's clock, so it runs in
// the clock projects.
import { test, expect, open } from "./fixtures";
import { createUser, advanceClock, loginToConsole } from "./auth-helpers";
import type { Page } from "@playwright/test";
import ExcelJS from "exceljs";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** A stand-in for a unit's own system: serves `html` at every path, on a port of its own (loopback, like
 *  the platform here: Chromium refuses a public page's requests into the loopback address space). */
async function unitSystem(html: string) {
  const server = http.createServer((_, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html));
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

const BLACKLISTED = "吉首一诺建材有限公司";
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async function signIn(page: Page, user: { username: string; password: string }) {
  await page.context().clearCookies();
  await loginToConsole(page, user.username, user.password, true);
}

test("check → hits and measures → feedback → statistics → overdue alarm; batch; embedded page", async ({ page, request, baseURL, isMobile }) => {
  test.skip(isMobile, "the check desk and its administration are desktop tasks");
  test.setTimeout(180_000);
  const office = await createUser(request, baseURL, "operator");
  const clerk = await createUser(request, baseURL, "clerk", { department_index: 0 });
  const admin = await createUser(request, baseURL, "security_admin");
  const suffix = Date.now().toString(36);
  const code = `E2E-CK-${suffix}`;
  const matterName = `政府采购资格审查${suffix}`;

  // 1. The office imports the measures list and links JC-01 (a black-list sanction) to a new matter.
  await signIn(page, office);
  await open(page, "/console/joint/measures", true);
  const sample = await page.request.get("/console/joint/measures/sample.xlsx");
  await page.getByLabel("清单文件（XLSX）").setInputFiles({ name: "措施清单.xlsx", mimeType: XLSX, buffer: await sample.body() });
  await page.getByTestId("measures-import").getByRole("button", { name: "导入" }).click();
  await expect(page.getByTestId("measures-imported")).toBeVisible();
  await open(page, "/console/joint/matters", true);
  const form = page.getByTestId("matter-form");
  await form.getByLabel("事项编码").fill(code);
  await form.getByLabel("事项名称").fill(matterName);
  await form.getByLabel("实施部门").selectOption(clerk.departmentPublicId!);
  const unitName = (await form.getByLabel("实施部门").locator(`option[value="${clerk.departmentPublicId}"]`).innerText()).trim();
  await form.getByLabel(/^JC-01 /).check();
  await form.getByRole("button", { name: "保存事项" }).click();
  await expect(page.locator(`tr[data-code="${code}"]`)).toContainText("JC-01");

  // 2. The clerk checks the company for the matter: the black-list entry and JC-01.
  await signIn(page, clerk);
  await open(page, `/console/joint/check?matter=${code}`, true);
  const checkForm = page.getByTestId("check-form");
  await expect(checkForm.getByLabel("办理事项")).toHaveValue(code);
  await checkForm.getByLabel("核查对象", { exact: true }).fill(BLACKLISTED);
  await checkForm.getByRole("button", { name: "核查" }).click();
  const result = page.getByTestId("check-result");
  await expect(result).toContainText("命中");
  await expect(page.getByTestId("check-hits").locator('tr[data-list="black"]')).toContainText(BLACKLISTED);
  await expect(page.getByTestId("check-measures").locator('tr[data-code="JC-01"]')).toContainText("政府采购");
  // 3. Feedback: JC-01 applied, the application refused.
  const feedback = page.getByTestId("feedback-form");
  await feedback.getByLabel(/^JC-01 /).check();
  await feedback.getByLabel("办理结果").fill("不予受理：申请人在失信惩戒期内");
  await feedback.getByRole("button", { name: "提交反馈" }).click();
  await expect(page.getByTestId("feedback-saved")).toBeVisible();
  // A second check of the same company, left unanswered.
  await open(page, `/console/joint/check?matter=${code}`, true);
  await checkForm.getByLabel("核查对象", { exact: true }).fill(BLACKLISTED);
  await checkForm.getByRole("button", { name: "核查" }).click();
  await expect(page.getByTestId("feedback-form")).toBeVisible();
  const second = (await result.getByRole("link").first().innerText()).trim();
  await open(page, "/console/joint/checks", true);
  await expect(page.getByTestId("check-log").locator('tr[data-state="applied"]').filter({ hasText: matterName })).toHaveCount(1);
  await expect(page.getByTestId("check-log").locator('tr[data-state="awaiting"]').filter({ hasText: matterName })).toHaveCount(1);

  // 4. The office's statistics count both checks and the one answer.
  await signIn(page, office);
  await open(page, "/console/joint/stats", true);
  const row = page.locator("table").filter({ hasText: "各事项的核查与反馈" }).getByRole("row").filter({ hasText: matterName });
  await expect(row.locator("td").nth(0)).toHaveText("2");
  await expect(row.locator("td").nth(1)).toHaveText("2");
  await expect(row.locator("td").nth(2)).toHaveText("1");
  await expect(row.locator("td").nth(3)).toHaveText("50.0%");

  // 5. Eight days later (at least five working days) the unanswered check is overdue: the unit is chased
  // and the office alarmed.
  await advanceClock(request, baseURL, 8 * 24 * 3600);
  await signIn(page, clerk);
  await expect
    .poll(async () => {
      await open(page, `/console/joint/checks/${second}`, true);
      return page.getByTestId("feedback-due").innerText();
    }, { timeout: 30_000 })
    .toContain("反馈已逾期");
  await signIn(page, office);
  await expect
    .poll(async () => {
      await open(page, "/console/alarms", true);
      return page.locator("main").innerText();
    }, { timeout: 30_000 })
    .toContain(`${unitName}联合奖惩核查反馈逾期`);

  // 6. A batch of subjects, checked in the background; the results download.
  await signIn(page, clerk);
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet("名单");
  sheet.addRow(["序号", "核查对象"]);
  sheet.addRow([1, BLACKLISTED]);
  sheet.addRow([2, "湘西州从未登记的某某公司"]);
  sheet.addRow([3, "91433101MA4XXXXXX0"]);
  await open(page, "/console/joint/check", true);
  await page.getByTestId("batch-form").getByLabel("办理事项").selectOption(code);
  await page.getByLabel("主体名单（XLSX）").setInputFiles({ name: "名单.xlsx", mimeType: XLSX, buffer: Buffer.from(await book.xlsx.writeBuffer()) });
  await page.getByRole("button", { name: "开始批量核查" }).click();
  await expect(page).toHaveURL(/\/console\/joint\/batches\/[0-9a-f]{32}$/);
  await expect(page.getByTestId("batch-done")).toContainText("命中名单 1 个", { timeout: 30_000 });
  await expect(page.getByTestId("batch-done")).toContainText("1 行无法核查");
  const downloading = page.waitForEvent("download");
  await page.getByTestId("batch-results").click();
  const results = new ExcelJS.Workbook();
  await results.xlsx.readFile((await (await downloading).path())!);
  expect(results.worksheets[0].rowCount).toBe(4);

  // 7. The unit's own system: a check key, a ticket, the registered origin.
  await signIn(page, admin);
  await open(page, "/console/api-keys", true);
  await page.getByLabel("用途").fill(`政务服务系统${suffix}`);
  await page.getByLabel("所属单位").selectOption({ label: unitName });
  await page.getByLabel(/联合奖惩核查/).check();
  await page.getByRole("button", { name: "生成密钥" }).click();
  const key = (await page.getByTestId("new-key").locator("code").innerText()).trim();
  const issued = await request.post(`${baseURL}/api/v1/embed-tickets`, { headers: { authorization: `Bearer ${key}` }, data: { handler: "窗口张三" } });
  expect(issued.status(), await issued.text()).toBe(201);
  const { ticket } = (await issued.json()) as { ticket: string };
  const host = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>政务服务系统</title></head><body><h1>办件</h1>
    <script src="${baseURL}/embed/check.js" data-matter="${code}" data-ticket="${ticket}"></script></body></html>`;
  const [allowed, elsewhere] = [await unitSystem(host), await unitSystem(host)];
  try {
    await signIn(page, office);
    await open(page, "/console/joint/embed", true);
    const origins = page.locator(`#eo-${clerk.departmentPublicId}`);
    await origins.fill(allowed.origin);
    await origins.locator("xpath=ancestor::form").getByRole("button", { name: "保存" }).click();
    await expect(page.getByTestId("origins-saved")).toBeVisible();

    const framed = await page.context().newPage();
    await framed.goto(`${allowed.origin}/case`);
    const frame = framed.frameLocator("iframe[title='联合奖惩核查']");
    await frame.getByLabel(/核查对象/).fill(BLACKLISTED);
    await frame.getByRole("button", { name: "核查" }).click();
    await expect(frame.getByTestId("embed-result")).toContainText("命中");
    await expect(frame.getByTestId("embed-result")).toContainText("JC-01");
    // Another site framing the same page: the browser refuses it (the frame holds Chromium's error page).
    await framed.goto(`${elsewhere.origin}/case`, { waitUntil: "load" });
    await expect(framed.locator("iframe[title='联合奖惩核查']")).toHaveCount(1);
    await expect.poll(() => framed.frames().find((f) => f !== framed.mainFrame())?.url()).toMatch(/^chrome-error:/);
    await expect(framed.frameLocator("iframe[title='联合奖惩核查']").getByTestId("embed-form")).toHaveCount(0);
    await framed.close();
  } finally {
    allowed.close();
    elsewhere.close();
  }
  // The framed check is in the unit's log, under the ticket's handler.
  await signIn(page, clerk);
  await open(page, "/console/joint/checks", true);
  await expect(page.getByTestId("check-log").getByRole("row").filter({ hasText: "窗口张三" }).first()).toContainText("嵌入页面");
});
