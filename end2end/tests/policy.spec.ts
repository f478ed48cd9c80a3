// 政策法规 as documents: the policy list filters through the URL (a GET form, with or without
// JavaScript), and an editor fills the document fields of a policy article (desktop, JavaScript).
// The FAQ (常见问题) searches by fragment, its answers in <details>.
import { test, expect, open } from "./fixtures";
import { createUser, loginToConsole } from "./auth-helpers";

test("the policy list filters by level through the URL", async ({ page, jsEnabled }) => {
  await open(page, "/column/policy", jsEnabled);
  const list = page.getByTestId("policy-list");
  await expect(list).toContainText("国务院令第722号");
  await page.getByLabel("层级").selectOption("county");
  await page.getByRole("search", { name: "筛选政策文件" }).getByRole("button", { name: "筛选" }).click();
  await expect(page).toHaveURL(/\/column\/policy\?.*level=county/);
  await expect(page.getByTestId("policy-total")).toHaveText("符合条件的文件共 1 件");
  await expect(list.getByRole("link", { name: "凤凰县旅游市场信用承诺实施方案" })).toBeVisible();
  await expect(list).toContainText("已修订");
  await expect(list).not.toContainText("优化营商环境条例");
  // The oldest document is on the second page of the full list.
  await open(page, "/column/policy?page=2", jsEnabled);
  await expect(list).toContainText("国发〔2014〕21号");
  // A filtered list has its own address, and the article shows its document fields.
  await open(page, "/column/policy?q=" + encodeURIComponent("国务院令第722号"), jsEnabled);
  await page.getByRole("link", { name: "优化营商环境条例" }).click();
  const doc = page.getByTestId("policy-doc");
  await expect(doc).toContainText("国务院令第722号");
  await expect(doc).toContainText("2020-01-01");
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
});

test("the FAQ is searched by a fragment and its answers open without JavaScript", async ({ page, jsEnabled }) => {
  await open(page, "/help/faq", jsEnabled);
  await expect(page.getByRole("heading", { level: 1, name: "常见问题" })).toBeVisible();
  await page.getByRole("searchbox", { name: "搜索问题" }).fill("二维码");
  await page.getByRole("search").getByRole("button", { name: "搜索" }).click();
  await expect(page).toHaveURL(/\/help\/faq\?q=/);
  await expect(page.getByTestId("faq-total")).toHaveText("找到 1 个与“二维码”相关的问题");
  // A search result is open; in the full list a click opens the answer.
  await expect(page.getByText("扫描二维码")).toBeVisible();
  await open(page, "/help/faq", jsEnabled);
  await page.getByText("什么是“双公示”？").click();
  await expect(page.getByText("7个工作日内")).toBeVisible();
});

test.describe("editing", () => {
  // The refused first save answers 422, which the browser logs.
  test.use({ expectedConsoleErrors: [/status of 422/] });

  test("an editor fills the document fields of a policy article", async ({ page, request, baseURL, jsEnabled, isMobile }) => {
    test.skip(isMobile || !jsEnabled, "editing is a desktop task and needs JavaScript");
    const editor = await createUser(request, baseURL, "cms_editor");
    await loginToConsole(page, editor.username, editor.password, true);
    await open(page, "/console/cms/new", true);
    await page.getByLabel(/^标题/).fill(`湘西州信用承诺管理办法${Date.now()}`);
    await expect(page.getByTestId("policy-fields")).toHaveCount(0);
    await page.getByLabel("所属栏目").selectOption("policy");
    await expect(page.getByTestId("policy-fields")).toBeVisible();
    await page.getByRole("button", { name: "保存" }).click();
    await expect(page.getByText("请填写发文机关。")).toBeVisible();
    await page.getByLabel(/^发文机关/).fill("湘西州社会信用体系建设领导小组办公室");
    await page.getByLabel("文号").fill("州信用办发〔2026〕9号");
    await page.getByLabel(/^层级/).selectOption("prefecture");
    await page.getByLabel(/^成文（发布）日期/).fill("2026-03-01");
    await page.getByLabel("施行日期").fill("2026-04-01");
    await page.getByRole("button", { name: "保存" }).click();
    await expect(page).toHaveURL(/\/console\/cms\/[0-9a-f]{32}$/);
    await open(page, page.url(), true);
    await expect(page.getByLabel("文号")).toHaveValue("州信用办发〔2026〕9号");
    await expect(page.getByLabel(/^层级/)).toHaveValue("prefecture");
  });
});
