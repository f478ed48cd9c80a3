// Objections (issue 20, docs/domain.md §11): a citizen files an objection on a licence from its subject
// page (phone or desktop, with JavaScript on or off: a plain multipart form) and gets a tracking code;
// the record shows "异议处理中". The credit office (desktop, with JavaScript) accepts it, suspends the
// record's display, forwards it to the source unit, records the verification and replies; the record
// is back on view and the applicant reads the reply by code.
import { Browser, Page } from "@playwright/test";
import { test, expect, open } from "./fixtures";
import { createUser, loginToConsole } from "./auth-helpers";
import { SHOWCASE, companySubjects } from "./public-pages";

const PDF = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");

/** Projects take different licences, so parallel runs do not object to the same one. */
const OFFSET: Record<string, number> = { phone: 0, desktop: 1, "phone-nojs": 2, "desktop-nojs": 3 };

interface Target {
  subject: string;
  record: string;
  uscc: string;
}

/** A licence on a subject page (not the showcase's) that nobody has objected to yet. Licences, not
 *  penalties: the repair spec takes penalties off public view while this one runs. */
async function objectable(page: Page, jsEnabled: boolean, skip: number): Promise<Target> {
  const subjects = await companySubjects(page, jsEnabled);
  let seen = 0;
  for (const subject of subjects.reverse()) {
    await open(page, subject, jsEnabled);
    const text = await page.locator("body").innerText();
    if (text.includes(SHOWCASE)) continue;
    const uscc = text.match(/[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}/)?.[0];
    if (!uscc) continue;
    const licences = await page
      .locator('a[href^="/credit/record/licence/"]')
      .evaluateAll((as) => as.map((a) => (a.getAttribute("href") ?? "").split("/").pop() ?? ""));
    for (const record of licences) {
      if ((await page.locator(`a[href="/objection/apply?record=${record}"]`).count()) === 0) continue;
      if (seen++ < skip) continue;
      return { subject, record, uscc };
    }
  }
  throw new Error("no licence open to an objection in the demo data");
}

async function fileObjection(page: Page, t: Target, jsEnabled: boolean): Promise<string> {
  await open(page, `/objection/apply?record=${t.record}`, jsEnabled);
  await expect(page.getByTestId("objection-target")).toBeVisible();
  await page.getByLabel("统一社会信用代码").fill(t.uscc);
  await page.getByLabel("异议理由").selectOption({ label: "信息错误" });
  await page.getByLabel("具体情况和诉求").fill("许可有效期录入有误，应至 2030 年。");
  await page.getByLabel("申请人姓名").fill("王立群");
  await page.getByLabel("联系电话").fill("13807435678");
  await page.getByLabel(/证明材料/).setInputFiles([{ name: "许可证正本.pdf", mimeType: "application/pdf", buffer: PDF }]);
  await page.getByRole("button", { name: "提交", exact: true }).click();
  await expect(page).toHaveURL(/\/track\?code=/);
  const code = (await page.getByTestId("tracking-code").innerText()).trim();
  expect(code).toMatch(/^[2-9A-HJKMNP-Z]{16}$/);
  await expect(page.getByTestId("tracked-state")).toHaveText("已提交，待受理");
  return code;
}

/** The credit office's desktop browser, signed in, on the case. */
async function officeDesk(browser: Browser, baseURL: string, request: import("@playwright/test").APIRequestContext, code: string) {
  const office = await createUser(request, baseURL, "operator");
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 }, javaScriptEnabled: true, locale: "zh-CN" });
  const page = await context.newPage();
  await loginToConsole(page, office.username, office.password, true);
  await open(page, "/console/cases?kind=objection&state=open", true);
  await page.getByRole("link", { name: code }).click();
  await expect(page.getByTestId("case-state")).toHaveText("已提交，待受理");
  await expect(page.getByTestId("case-files")).toContainText("许可证正本.pdf");
  return { context, page };
}

async function move(page: Page, code: string, state: string, text = "") {
  const form = page.locator(`form[data-move="${code}"]`);
  if (text) await form.locator("textarea").fill(text);
  await form.getByRole("button").click();
  await expect(page.getByTestId("case-state")).toHaveText(state);
}

test("an objection is filed, the display suspended, the record verified and the applicant answered", async ({ page, jsEnabled, browser, baseURL, request }, info) => {
  test.setTimeout(90_000);
  const t = await objectable(page, jsEnabled, OFFSET[info.project.name] ?? 0);
  const code = await fileObjection(page, t, jsEnabled);
  const recordLink = page.locator(`a[href="/credit/record/licence/${t.record}"]`);
  // New addresses each time: the browser may keep a public page for the 60 s it may be cached.
  await open(page, `${t.subject}?after=objection`, jsEnabled);
  await expect(recordLink).toHaveCount(1);
  await expect(page.getByTestId("objection-open").first()).toHaveText("异议处理中");

  const desk = await officeDesk(browser, baseURL!, request, code);
  try {
    await move(desk.page, "accept", "已受理，平台核查中");
    await desk.page.getByTestId("suspend-form").getByRole("button", { name: "暂停公示" }).click();
    await expect(desk.page.getByTestId("suspend-form").getByRole("button")).toHaveText("恢复公示");
    await open(page, `${t.subject}?after=suspension`, jsEnabled);
    await expect(recordLink).toHaveCount(0);

    await move(desk.page, "forward", "认定单位核实中");
    await expect(desk.page.getByTestId("case-correct")).toBeVisible();
    await move(desk.page, "verified", "核实完毕，待答复", "经核实，许可有效期录入有误，已更正。");
    await move(desk.page, "reply", "已答复", "您反映的问题属实，信息已由认定单位更正。");
  } finally {
    await desk.context.close();
  }

  await open(page, `${t.subject}?after=reply`, jsEnabled);
  await expect(recordLink).toHaveCount(1);
  await open(page, `/track?code=${code}`, jsEnabled);
  await expect(page.getByTestId("tracked-state")).toHaveText("已答复");
  await expect(page.getByTestId("tracked-steps")).toContainText("已由认定单位更正");
});
