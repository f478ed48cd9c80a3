// The help centre (issue 19 item 4): a citizen asks a question on a phone without an account and gets
// a tracking code; the credit office (desktop, with JavaScript) routes it to a unit, answers it and
// publishes it; the citizen reads the answer by code, and the question appears in the public Q&A.
// Runs in every project: with JavaScript off the citizen's forms are plain posts and GET forms.
import { Browser } from "@playwright/test";
import { test, expect, open } from "./fixtures";
import { createUser, loginToConsole } from "./auth-helpers";

/** A question no other test (or parallel project) asks. */
function uniqueQuestion(): { token: string; text: string } {
  const token = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  return { token, text: `请问被列入经营异常名录后，补报年报多久可以申请信用修复？（编号 ${token}）` };
}

async function ask(page: import("@playwright/test").Page, text: string, jsEnabled: boolean): Promise<string> {
  await open(page, "/help", jsEnabled);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("帮助中心");
  await page.getByTestId("help-entries").getByRole("link", { name: /我要咨询/ }).click();
  await expect(page).toHaveURL(/\/help\/consult$/);
  if (jsEnabled) await open(page, "/help/consult", jsEnabled);
  await page.getByLabel("咨询类别").selectOption({ label: "信用修复" });
  await page.getByLabel("咨询内容").fill(text);
  await page.getByLabel("姓名或称呼").fill("张先生");
  await page.getByLabel("手机号码或电子邮箱").fill("13907431234");
  await page.getByLabel(/同意在脱敏处理后/).check();
  await page.getByRole("button", { name: "提交咨询" }).click();
  await expect(page).toHaveURL(/\/help\/track\?code=/);
  const code = (await page.getByTestId("tracking-code").innerText()).trim();
  expect(code).toMatch(/^[2-9A-HJKMNP-Z]{10}$/);
  await expect(page.getByTestId("tracked-status")).toHaveText("已受理，待分办");
  await expect(page.getByTestId("tracked")).toContainText("139****1234");
  return code;
}

/** The credit office, in its own desktop browser with JavaScript: route, answer, publish. */
async function staffAnswer(browser: Browser, baseURL: string, request: import("@playwright/test").APIRequestContext, token: string, answer: string) {
  const office = await createUser(request, baseURL, "operator");
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 1280, height: 800 },
    isMobile: false,
    hasTouch: false,
    javaScriptEnabled: true,
    locale: "zh-CN",
  });
  const page = await context.newPage();
  try {
    await loginToConsole(page, office.username, office.password, true);
    await open(page, "/console/help?status=new", true);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("群众咨询");
    await page.getByRole("link", { name: new RegExp(token) }).click();
    await expect(page).toHaveURL(/\/console\/help\/[0-9a-f]+/);
    await expect(page.getByTestId("consult-status")).toHaveText("已受理，待分办");
    await page.getByLabel("承办单位").selectOption({ label: "湘西州市场监督管理局" });
    await page.getByRole("button", { name: "分办", exact: true }).click();
    await expect(page.getByTestId("consult-status")).toHaveText("办理中");
    await page.getByLabel("答复内容（咨询人凭查询码查看）").fill(answer);
    await page.getByRole("button", { name: "提交答复" }).click();
    await expect(page.getByTestId("consult-answer")).toHaveText(answer);
    await expect(page.getByLabel("公开的问题")).toHaveValue(new RegExp(token));
    await page.getByRole("button", { name: "公开", exact: true }).click();
    await expect(page.getByTestId("consult-status")).toContainText("（已公开）");
  } finally {
    await context.close();
  }
}

test("a citizen asks, the office answers and publishes, the citizen reads the answer by code", async ({
  page,
  browser,
  request,
  baseURL,
  jsEnabled,
}) => {
  test.setTimeout(60_000);
  const { token, text } = uniqueQuestion();
  const code = await ask(page, text, jsEnabled);

  // Tracking by code before the answer (typed in lower case): still being handled.
  await open(page, "/help/track", jsEnabled);
  await page.getByLabel("查询码").fill(code.toLowerCase());
  await page.getByRole("button", { name: "查询", exact: true }).click();
  await expect(page.getByTestId("tracked-status")).toHaveText("已受理，待分办");

  const answer = `您好！补报年度报告后，可向作出列入决定的市场监管部门申请移出经营异常名录。（${token}）`;
  await staffAnswer(browser, baseURL!, request, token, answer);

  await open(page, `/help/track?code=${code}`, jsEnabled);
  await expect(page.getByTestId("tracked-status")).toHaveText("已答复");
  await expect(page.getByTestId("tracked-answer")).toHaveText(answer);

  // The public Q&A: found by a fragment of the question, with the answer.
  await open(page, "/help/qa", jsEnabled);
  await page.getByLabel("关键词").fill(token);
  await page.getByRole("button", { name: "搜索", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/help/qa\\?q=${token}`));
  const list = page.getByTestId("qa-list");
  await expect(list.getByText(text)).toBeVisible();
  await list.getByText(text).click();
  await expect(list.getByText(answer)).toBeVisible();
});

test("the help centre leads to every help page", async ({ page, jsEnabled }) => {
  await open(page, "/help", jsEnabled);
  const entries = page.getByTestId("help-entries");
  for (const name of ["常见问题", "我要咨询", "咨询查询", "公开问答", "办事指南", "下载"]) {
    await expect(entries.getByRole("link", { name: new RegExp(`^${name}`) })).toBeVisible();
  }
  await entries.getByRole("link", { name: /^公开问答/ }).click();
  await expect(page).toHaveURL(/\/help\/qa$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("公开问答");
  await expect(page.getByTestId("qa-list")).toBeVisible();
});
