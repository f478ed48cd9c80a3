// 在线填报 and the browser pre-check: a clerk types one penalty into the form built from the
// catalogue. With JavaScript the shared rules answer as she types and a faulty form is not sent;
// without it the server's check shows the same faults on the batch page. Either way the clean record
// publishes on confirm. The pre-check of a CSV before upload runs in the WASM (JavaScript only).
import { test, expect, open } from "./fixtures";
import { createUser, loginToConsole } from "./auth-helpers";
import { uscc, todayInBeijing } from "./collect-helpers";
import type { Page } from "@playwright/test";
import path from "node:path";

async function fillPenalty(page: Page, fields: Record<string, string>) {
  for (const [key, value] of Object.entries(fields)) {
    const el = page.locator(`#f-${key}`);
    if ((await el.evaluate((e) => e.tagName)) === "SELECT") await el.selectOption(value);
    else await el.fill(value);
  }
}

test("a clerk fills in one penalty, the rules answer as she types, and it publishes on confirm", async ({ page, request, baseURL, jsEnabled }) => {
  test.setTimeout(60_000);
  const clerk = await createUser(request, baseURL, "clerk", { department_index: 0 });
  await loginToConsole(page, clerk.username, clerk.password, jsEnabled);
  const unit = (await page.getByTestId("console-user").innerText()).split(" · ")[1].trim();
  const tag = `${Date.now().toString(36)}${jsEnabled ? "j" : "n"}${Math.floor(Math.random() * 1e4)}`;
  const good = uscc(Math.floor(Math.random() * 1e9));
  const broken = good.slice(0, 17) + (good[17] === "0" ? "1" : "0");
  const decisionNo = `湘西市监罚〔2026〕表${tag}号`;

  await open(page, "/console/collect/form?class=penalty", jsEnabled);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("在线填报");
  const form = page.getByTestId("record-form");
  // The unit's own details are filled by the platform, not typed.
  await expect(form).toContainText("由平台按报送单位自动填写");
  await expect(page.getByLabel("行政相对人名称")).toBeVisible();

  const base = {
    subject_name: `湘西表单${tag}有限公司`,
    subject_category: "法人及非法人组织",
    legal_rep: "王五",
    decision_no: decisionNo,
    violation_type: "销售不合格产品",
    violation_facts: "经查，当事人销售不合格产品。",
    legal_basis: "《产品质量法》第四十九条",
    content: "警告并处罚款0.5万元",
    decision_date: todayInBeijing(),
    authority: unit,
  };

  if (jsEnabled) {
    // A wrong check character is named under its field as soon as it is typed.
    await page.locator("#f-subject_uscc").fill(broken);
    await page.locator("#f-subject_uscc").blur();
    const uscc_error = page.locator("#f-subject_uscc-err");
    await expect(uscc_error).toContainText("第18位校验码错误");
    await expect(page.locator("#f-subject_uscc")).toHaveAttribute("aria-invalid", "true");
    await page.locator("#f-subject_uscc").fill(good);
    await expect(uscc_error).toBeEmpty();
    // The summary counts what is left; a faulty form is not sent, and focus goes to the first error.
    await expect(page.getByTestId("form-summary")).toContainText("处错误");
    await page.getByRole("button", { name: "提交检查" }).click();
    await expect(page).toHaveURL(/\/console\/collect\/form/);
    await expect(page.locator("#f-subject_name")).toBeFocused();
    await expect(page.locator("#f-subject_name-err")).toContainText("必填");
    await fillPenalty(page, base);
    // 罚款 ticked without an amount is caught before sending; the tick boxes edit the text field.
    await page.getByText("警告", { exact: true }).click();
    await page.getByText("罚款", { exact: true }).click();
    await expect(page.locator("#f-categories")).toHaveValue("警告；罚款");
    await expect(page.locator("#f-fine-err")).toContainText("罚款金额");
    await page.locator("#f-fine").fill("0.5");
    await expect(page.getByTestId("form-summary")).toContainText("可以提交");
  } else {
    // Without JavaScript the server checks: a wrong check character comes back on the batch page.
    await fillPenalty(page, { ...base, subject_uscc: broken, categories: "警告；罚款", fine: "0.5", decision_no: `${decisionNo}错` });
    await page.getByRole("button", { name: "提交检查" }).click();
    await expect(page).toHaveURL(/\/console\/collect\/batch\//);
    await expect(page.getByTestId("batch-status")).toHaveText("待确认");
    await expect(page.getByTestId("count-faulty")).toHaveText("1");
    await expect(page.getByTestId("fault-list").getByRole("row").filter({ hasText: "USCC_CHECK_CHAR" })).toContainText("第18位校验码错误");
    // Nothing in it could be published: no empty confirmation is offered.
    await expect(page.getByTestId("nothing-to-publish")).toBeVisible();
    await expect(page.getByTestId("confirm-batch")).toHaveCount(0);
    await open(page, "/console/collect/form?class=penalty", jsEnabled);
    await fillPenalty(page, { ...base, subject_uscc: good, categories: "警告；罚款", fine: "0.5" });
  }
  await page.getByRole("button", { name: "提交检查" }).click();
  await expect(page).toHaveURL(/\/console\/collect\/batch\//);
  await expect(page.getByTestId("batch-status")).toHaveText("待确认");
  await expect(page.getByTestId("count-new")).toHaveText("1");
  await expect(page.getByTestId("count-faulty")).toHaveText("0");
  await expect(page.getByText("在线填报")).not.toHaveCount(0);
  await page.getByTestId("confirm-batch").click();
  await expect(page.getByTestId("batch-status")).toHaveText("已发布");

  await open(page, `/console/records?kind=penalty&q=${encodeURIComponent(base.subject_name)}`, jsEnabled);
  await expect(page.getByTestId("record-list").getByRole("link", { name: decisionNo, exact: true })).toBeVisible();
});

test("a CSV is pre-checked in the browser before it is uploaded", async ({ page, request, baseURL, jsEnabled }) => {
  test.skip(!jsEnabled, "the pre-check runs the rules in the WASM; without JavaScript the server checks after upload");
  const clerk = await createUser(request, baseURL, "clerk", { department_index: 0 });
  await loginToConsole(page, clerk.username, clerk.password, jsEnabled);
  const unit = (await page.getByTestId("console-user").innerText()).split(" · ")[1].trim();
  const good = uscc(Math.floor(Math.random() * 1e9));
  const broken = good.slice(0, 17) + (good[17] === "0" ? "1" : "0");
  const date = todayInBeijing();
  const header = "CF_WSH,CF_CFMC,CF_CFLB,CF_SY,CF_YJ,CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_FRDB,CF_NR,CF_NR_FK,CF_JDRQ,CF_CFJG,备注列";
  const row = (no: string, code: string, basis: string) =>
    `预检〔2026〕${no}号,销售不合格产品,罚款,经查当事人销售不合格产品,${basis},湘西预检有限公司,法人及非法人组织,${code},张三,罚款0.5万元,0.5,${date},${unit},x`;
  const csv = [header, row("1", good, "《产品质量法》第四十九条"), row("2", broken, "《产品质量法》"), row("3", good, "")].join("\r\n");
  const fileName = `预检${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}.csv`;

  await open(page, "/console/collect", jsEnabled);
  await page.getByLabel("数据类别", { exact: true }).selectOption("penalty");
  await page.getByLabel("数据文件", { exact: true }).setInputFiles({ name: fileName, mimeType: "text/csv", buffer: Buffer.from(csv, "utf8") });
  const result = page.getByTestId("precheck");
  await expect(result).toContainText("预检完成：共 3 行，有误 2 行");
  await expect(result).toContainText("备注列");
  await expect(page.getByTestId("precheck-rules")).toContainText("USCC_CHECK_CHAR");
  await expect(page.getByTestId("precheck-rules")).toContainText("REQ_MISSING");
  const faults = page.getByTestId("precheck-faults");
  await expect(faults.getByRole("row").filter({ hasText: "USCC_CHECK_CHAR" }).locator("td").first()).toHaveText("2");
  await expect(faults.getByRole("row").filter({ hasText: "REQ_MISSING" }).locator("td").first()).toHaveText("3");
  // Nothing was sent: no batch of the unit carries the file's name (other tests share the unit).
  const batches = await page.request.post(`${baseURL}/api/collect/batches`, { form: {} }).then((r) => r.json());
  expect(batches.rows.map((b: { file_name: string }) => b.file_name)).not.toContain(fileName);

  // A clean GBK file with Chinese headers passes: the browser decodes it as the server does (read as
  // UTF-8 its headers would be unknown).
  await page.getByLabel("数据文件", { exact: true }).setInputFiles(path.join(__dirname, "data", "penalty-gbk.csv"));
  await expect(result).toContainText("预检通过：1 行均符合目录规则");
  // An XLSX is left to the server.
  await page.getByLabel("数据文件", { exact: true }).setInputFiles({ name: "x.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: Buffer.from("PK") });
  await expect(result).toContainText("XLSX 文件在上传后由服务器检查");
});
