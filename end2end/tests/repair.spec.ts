// Credit repair (issue 20): a company finds its penalty on its subject page and applies for repair with
// two uploads (on a phone, with JavaScript on or off: a plain multipart form); it gets a tracking code;
// the credit office (desktop, with JavaScript) assigns the case to a unit, whose clerk approves it; the
// penalty leaves the subject page and the penalty search, a special report marks it 已修复, and the
// applicant reads the result by code (a GET form that works without JavaScript).
import { execFileSync } from "node:child_process";
import { APIRequestContext, Browser, Page } from "@playwright/test";
import { test, expect, open } from "./fixtures";
import { createUser, loginToConsole } from "./auth-helpers";
import { SHOWCASE, companySubjects } from "./public-pages";

const PDF = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489", "hex");

/** Projects take different penalties, so parallel runs do not apply for the same one. */
const OFFSET: Record<string, number> = { phone: 0, desktop: 1, "phone-nojs": 2, "desktop-nojs": 3 };

interface Target {
  subject: string;
  apply: string;
  uscc: string;
}

/** A subject page (not the showcase's, which other tests read) offering a repair not yet applied for. */
async function repairable(page: Page, jsEnabled: boolean, skip: number): Promise<Target> {
  const subjects = await companySubjects(page, jsEnabled);
  let seen = 0;
  for (const subject of subjects) {
    await open(page, subject, jsEnabled);
    const text = await page.locator("body").innerText();
    if (text.includes(SHOWCASE)) continue;
    const uscc = text.match(/[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}/)?.[0];
    const links = await page.locator('a[href^="/repair/apply"]').evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
    for (const apply of links) {
      if (!uscc) continue;
      await open(page, apply, jsEnabled);
      if ((await page.getByTestId("apply-blocked").count()) > 0) continue;
      if (seen++ < skip) continue;
      return { subject, apply, uscc };
    }
  }
  throw new Error("no repairable penalty in the demo data");
}

/** Applies; answers the tracking code and the penalty's decision number. */
async function applyFor(page: Page, t: Target, jsEnabled: boolean): Promise<{ code: string; decisionNo: string }> {
  await open(page, t.apply, jsEnabled);
  await expect(page.getByTestId("commitment-text")).toContainText("信用修复");
  const decisionNo = (await page.getByTestId("repair-target").locator("dd").nth(1).innerText()).trim();
  await page.getByLabel("统一社会信用代码").fill(t.uscc);
  await page.getByLabel("申请人姓名").fill("张建华");
  await page.getByLabel("联系电话").fill("13907431234");
  await page.getByLabel(/履行义务的证明材料/).setInputFiles([
    { name: "罚款缴纳凭证.pdf", mimeType: "application/pdf", buffer: PDF },
    { name: "整改照片.png", mimeType: "image/png", buffer: PNG },
  ]);
  await page.getByLabel("本人已阅读并同意以上承诺").check();
  await page.getByRole("button", { name: "提交申请" }).click();
  await expect(page).toHaveURL(/\/track\?code=/);
  const code = (await page.getByTestId("tracking-code").innerText()).trim();
  expect(code).toMatch(/^[2-9A-HJKMNP-Z]{16}$/);
  await expect(page.getByTestId("tracked-state")).toHaveText("已提交，待受理");
  return { code, decisionNo };
}

/** A desktop browser with JavaScript, signed in as `role` (a fresh account of the test hook). */
async function deskBrowser(browser: Browser, baseURL: string, request: APIRequestContext, role: string, department_index?: number) {
  const user = await createUser(request, baseURL, role, department_index === undefined ? {} : { department_index });
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 }, javaScriptEnabled: true, locale: "zh-CN" });
  const page = await context.newPage();
  await loginToConsole(page, user.username, user.password, true);
  return { user, context, page };
}

/** Opens the case with tracking code `code` from the desk's list of open cases. */
async function openCase(page: Page, code: string) {
  await open(page, "/console/cases?state=open", true);
  await page.getByRole("link", { name: code }).click();
  await expect(page.getByTestId("case-files")).toContainText("罚款缴纳凭证.pdf");
}

/** The credit office assigns the case to a unit; that unit's clerk approves it (both on desktops);
 *  the office then pulls a special report on the subject: its text. */
async function officeAssignsUnitApproves(browser: Browser, baseURL: string, request: APIRequestContext, code: string, subject: string): Promise<string> {
  const unit = await deskBrowser(browser, baseURL, request, "clerk", 0);
  const office = await deskBrowser(browser, baseURL, request, "operator");
  try {
    await openCase(office.page, code);
    await expect(office.page.getByTestId("case-state")).toHaveText("已提交，待受理");
    const assign = office.page.locator('form[data-move="assign"]');
    await assign.getByLabel("承办单位").selectOption(unit.user.departmentPublicId!);
    await assign.getByRole("button").click();
    await expect(office.page.getByTestId("case-state")).toHaveText("已受理，待认定单位决定");

    await openCase(unit.page, code);
    await unit.page.locator('form[data-move="approve"] textarea').fill("罚款已缴清，整改到位。");
    await unit.page.locator('form[data-move="approve"]').getByRole("button").click();
    await expect(unit.page.getByTestId("case-state")).toHaveText("准予修复");
    return await specialReportText(office.page, subject);
  } finally {
    await unit.context.close();
    await office.context.close();
  }
}

/** The text of a special report on the subject (the last five years), pulled by the signed-in office. */
async function specialReportText(page: Page, subjectPath: string): Promise<string> {
  const subject = subjectPath.split("/").pop()!;
  const today = new Date().toISOString().slice(0, 10);
  const from = `${Number(today.slice(0, 4)) - 5}${today.slice(4)}`;
  const form = new URLSearchParams({
    "request[kind]": "special",
    "request[subject]": subject,
    "request[applicant]": "李四",
    "request[purpose]": "招投标",
    "request[matter]": "政府采购",
    "request[from]": from,
    "request[to]": today,
    "request[sections][0]": "trust",
  });
  const issued = await page.request.post("/api/credit/staff_report", {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    data: form.toString(),
  });
  expect(issued.status()).toBe(200);
  const pdf = await page.request.get((await issued.json()).download);
  expect(pdf.status()).toBe(200);
  // Poppler's pdftotext (installed by scripts/setup.sh --test) reads the PDF's text.
  return execFileSync("pdftotext", ["-enc", "UTF-8", "-", "-"], { input: await pdf.body() }).toString();
}

test("a company applies for repair, its unit approves, the record leaves public view", async ({ page, jsEnabled, browser, baseURL, request }, info) => {
  test.setTimeout(90_000);
  const t = await repairable(page, jsEnabled, OFFSET[info.project.name] ?? 0);
  const record = new URL(t.apply, "http://x").searchParams.get("record")!;
  const { code, decisionNo } = await applyFor(page, t, jsEnabled);
  const searched = `/credit/lists/penalties?q=${encodeURIComponent(decisionNo)}`;
  await open(page, searched, jsEnabled);
  await expect(page.locator(`a[href="/credit/record/penalty/${record}"]`)).toHaveCount(1);
  const report = await officeAssignsUnitApproves(browser, baseURL!, request, code, t.subject);
  // A special report still lists the penalty, marked 已修复.
  expect(report).toContain(decisionNo);
  expect(report).toContain("已修复");
  // The penalty is gone from the subject page (a new address: the browser may keep the old page for
  // the 60 s a public page may be cached).
  await open(page, `${t.subject}?after=repair`, jsEnabled);
  await expect(page.locator(`a[href="/repair/apply?record=${record}"]`)).toHaveCount(0);
  await expect(page.locator(`a[href="/credit/record/penalty/${record}"]`)).toHaveCount(0);
  // And from the public search of penalties.
  await open(page, `${searched}&after=repair`, jsEnabled);
  await expect(page.locator(`a[href="/credit/record/penalty/${record}"]`)).toHaveCount(0);
  // The applicant reads the result by code, typed on the tracking page.
  await open(page, "/track", jsEnabled);
  await page.getByLabel("查询码").fill(code.toLowerCase());
  await page.getByRole("button", { name: "查询" }).click();
  await expect(page.getByTestId("tracked-state")).toHaveText("准予修复");
  await expect(page.getByTestId("tracked-steps")).toContainText("罚款已缴清");
});
