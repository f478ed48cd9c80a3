// Site administration, the health board and releases in the CMS console. Needs JavaScript (the console does).
import { test, expect, open } from "./fixtures";
import { createUser, loginToConsole } from "./auth-helpers";
import type { Page } from "@playwright/test";

async function signIn(page: Page, user: { username: string; password: string }) {
  await page.context().clearCookies();
  await loginToConsole(page, user.username, user.password, true);
}

// The refused column code is answered 422, which the browser itself logs.
test.describe("site administration", () => {
test.use({ expectedConsoleErrors: [/status of 422/] });
test("an operator adds a sub-column and a sensitive word; the health board lists the empty column", async ({ page, request, baseURL, isMobile }) => {
  test.skip(isMobile, "site administration is a desktop task");
  const operator = await createUser(request, baseURL, "operator");
  const code = `county-${Date.now().toString(36)}`;
  await signIn(page, operator);
  await open(page, "/console/cms/site", true);
  await page.getByRole("button", { name: "新建栏目" }).click();
  await page.getByLabel("栏目代码（网址中使用）").fill(code);
  await page.getByLabel("栏目名称").fill("县市动态");
  await page.getByLabel("上级栏目").selectOption({ label: "信用动态" });
  await page.getByLabel("栏目类型").selectOption("news");
  await page.getByLabel(/^更新周期/).fill("14");
  await page.getByRole("button", { name: "保存栏目" }).click();
  await expect(page.getByTestId("column-list")).toContainText(code);
  // A wrong code is refused with a message that names the field.
  await page.getByRole("button", { name: "新建栏目" }).click();
  await page.getByLabel("栏目代码（网址中使用）").fill("县市");
  await page.getByLabel("栏目名称").fill("错误代码");
  await page.getByRole("button", { name: "保存栏目" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "栏目代码用小写字母" }).first()).toBeVisible();

  const word = `违规词${Date.now().toString(36)}`;
  await page.getByLabel("词语").fill(word);
  await page.getByLabel("处理方式").selectOption("block");
  await page.getByRole("button", { name: "添加", exact: true }).click();
  await expect(page.getByTestId("word-list")).toContainText(word);

  // The new column is on the portal, and (empty, with a 14-day rule) on the health board with a deadline.
  const column = await request.get(`${baseURL}/column/${code}`);
  expect(column.status()).toBe(200);
  expect(await column.text()).toContain("县市动态");
  await open(page, "/console/cms/health", true);
  await expect(page.getByTestId("health-summary")).toBeVisible();
  const row = page.getByTestId("health-problems").locator("tr").filter({ hasText: "县市动态" }).first();
  await expect(row).toContainText(/\d{4}-\d{2}-\d{2}/);
});
});

test("a publisher publishes a release: its approved article goes out at once", async ({ page, request, baseURL, isMobile }) => {
  test.skip(isMobile, "releases are a desktop task");
  const [editor, reviewer, publisher] = [
    await createUser(request, baseURL, "cms_editor"),
    await createUser(request, baseURL, "cms_reviewer"),
    await createUser(request, baseURL, "cms_publisher"),
  ];
  const title = `发布包文章${Date.now()}`;
  await signIn(page, editor);
  const saved = await page.request.post(`${baseURL}/api/cms/article_save`, {
    data: {
      save: {
        public_id: null,
        version: 0,
        content: {
          title, subtitle: "", columns: ["news"], source: "湘西州信用办", author: "", cover: null, cover_alt: "",
          summary: "随发布包发布。", body_html: "<p>正文</p>", tags: [], attachments: [], headline: false,
        },
      },
    },
  });
  expect(saved.status(), await saved.text()).toBe(200);
  const [id] = (await saved.json()) as [string, number];
  const move = (t: string) => page.request.post(`${baseURL}/api/cms/article_move`, { form: { id, transition: t, comment: "同意" } });
  expect((await move("submit")).status()).toBe(200);
  await signIn(page, reviewer);
  expect((await move("approve")).status()).toBe(200);

  await signIn(page, publisher);
  await open(page, "/console/cms/releases", true);
  await page.getByLabel("名称").fill(`专题${Date.now()}`);
  await page.getByRole("button", { name: "新建" }).click();
  await expect(page).toHaveURL(/\/console\/cms\/releases\/[0-9a-f]{32}$/);
  await page.getByLabel("加入已审核的文章").selectOption({ label: `${title}（信用动态）` });
  await page.getByRole("button", { name: "加入", exact: true }).click();
  await expect(page.getByTestId("release-articles")).toContainText(title);
  expect((await request.get(`${baseURL}/article/${id}`)).status()).toBe(404);
  await page.getByRole("button", { name: "立即发布" }).click();
  await expect(page.getByTestId("release-status")).toContainText("已发布");
  const published = await request.get(`${baseURL}/article/${id}`);
  expect(published.status()).toBe(200);
  expect(await published.text()).toContain(title);
});
