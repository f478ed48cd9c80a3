// The CMS journey: editor A drafts with a picture and an attachment, reviewer B asks for changes, A
// edits and resubmits, B approves, publisher C schedules, the clock passes and the article is on the
// portal, C takes it down. It moves the server's clock, so it runs in the clock projects.
import { test, expect, open } from "./fixtures";
import { createUser, advanceClock, loginToConsole } from "./auth-helpers";
import type { APIRequestContext, Page } from "@playwright/test";

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);
const PDF = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");

async function signIn(page: Page, user: { username: string; password: string }) {
  await page.context().clearCookies();
  await loginToConsole(page, user.username, user.password, true);
}

/** Beijing time as a datetime-local value, `minutes` after the server's now (its clock may be ahead). */
async function beijingLocal(request: APIRequestContext, baseURL: string | undefined, minutes: number) {
  const res = await request.post(`${baseURL}/__test/clock`, { data: { advance_seconds: 0 } });
  const now = Date.parse(((await res.json()) as { now: string }).now);
  return new Date(now + minutes * 60_000 + 8 * 3600_000).toISOString().slice(0, 16);
}

// The refused upload is answered 422, which the browser itself logs.
test.use({ expectedConsoleErrors: [/status of 422/] });

test("draft → changes requested → resubmit → approve → schedule → published → taken down", async ({ page, request, baseURL, isMobile }) => {
  test.skip(isMobile, "editing and reviewing are desktop tasks");
  test.setTimeout(120_000);
  const [a, b, c] = [
    await createUser(request, baseURL, "cms_editor"),
    await createUser(request, baseURL, "cms_reviewer"),
    await createUser(request, baseURL, "cms_publisher"),
  ];
  const title = `信用修复集中服务通知${Date.now()}`;
  page.on("dialog", (d) => d.accept("服务大厅照片"));

  // 1. A drafts with an image in the body and an attachment.
  await signIn(page, a);
  await open(page, "/console/cms/new", true);
  await page.getByLabel(/^标题/).fill(title);
  await page.getByLabel("摘要", { exact: true }).fill("全州开展信用修复集中服务。");
  await page.getByLabel("所属栏目").selectOption("notice");
  await page.getByTestId("body-editor").click();
  await page.keyboard.type("各信用主体：现开展信用修复集中服务。");
  await page.getByLabel("插入图片").setInputFiles({ name: "大厅.png", mimeType: "image/png", buffer: PNG });
  await expect(page.getByTestId("body-editor").locator("img[alt='服务大厅照片']")).toBeVisible();
  await page.getByLabel(/^附件/).setInputFiles({ name: "办事指南.pdf", mimeType: "application/pdf", buffer: PDF });
  await expect(page.getByTestId("attachments")).toContainText("办事指南.pdf");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page).toHaveURL(/\/console\/cms\/[0-9a-f]{32}$/);
  const url = page.url();
  await expect(page.getByTestId("article-status")).toContainText("草稿");
  // An .exe renamed to .pdf is refused with a message.
  await page.getByLabel(/^附件/).setInputFiles({ name: "通知.pdf", mimeType: "application/pdf", buffer: Buffer.from("MZ\x90\x00 program") });
  await expect(page.getByRole("alert").filter({ hasText: "可执行" })).toBeVisible();
  await page.getByRole("button", { name: "提交审核" }).click();
  await expect(page.getByTestId("article-status")).toContainText("待审核");
  // A cannot approve her own article: there is no such move for her.
  await expect(page.getByRole("button", { name: "审核通过" })).toHaveCount(0);

  // 2. B requests changes.
  await signIn(page, b);
  await open(page, url, true);
  await page.getByLabel("修改意见（必填）").fill("请补充办理地点。");
  await page.getByRole("button", { name: "退回修改" }).click();
  await expect(page.getByTestId("article-status")).toContainText("草稿");

  // 3. A sees the comment, edits and resubmits.
  await signIn(page, a);
  await open(page, url, true);
  await expect(page.getByTestId("history")).toContainText("请补充办理地点。");
  await page.getByTestId("body-editor").click();
  await page.keyboard.press("End");
  await page.keyboard.type("办理地点：州政务服务中心。");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status").filter({ hasText: "已保存为第" })).toBeVisible();
  await page.getByRole("button", { name: "提交审核" }).click();
  await expect(page.getByTestId("article-status")).toContainText("待审核");

  // 4. B approves.
  await signIn(page, b);
  await open(page, url, true);
  await page.getByRole("button", { name: "审核通过" }).click();
  await expect(page.getByTestId("article-status")).toContainText("已审核待发布");

  // 5. C schedules it ten minutes ahead.
  await signIn(page, c);
  await open(page, url, true);
  await page.getByLabel("发布时间（北京时间）").fill(await beijingLocal(request, baseURL, 10));
  await page.getByRole("button", { name: "定时发布" }).click();
  await expect(page.getByTestId("article-status")).toContainText("定时发布");
  const home = await request.get(`${baseURL}/`);
  expect(await home.text()).not.toContain(title);

  // 6. The clock passes: the scheduler publishes it; it is on the home page and in its column.
  await advanceClock(request, baseURL, 15 * 60);
  await expect.poll(async () => (await (await request.get(`${baseURL}/`)).text()).includes(title), { timeout: 30_000 }).toBe(true);
  await open(page, "/column/notice", true);
  await page.getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(page.locator(".article-body img[alt='服务大厅照片']")).toBeVisible();
  await expect(page.getByRole("link", { name: "办事指南.pdf" })).toBeVisible();
  const articleUrl = page.url();

  // 7. C takes it down, and it is gone.
  await signIn(page, c);
  await open(page, url, true);
  await page.getByRole("button", { name: "撤下", exact: true }).click();
  await expect(page.getByTestId("article-status")).toContainText("已撤下");
  const gone = await request.get(articleUrl);
  expect(gone.status()).toBe(404);
  expect(await (await request.get(`${baseURL}/column/notice`)).text()).not.toContain(title);
});
