// Training (issue 19 item 4): the public page lists the upcoming sessions and the materials, from the
// help centre, without JavaScript too; the credit office (desktop, with JavaScript) creates a session
// and signs someone in; a repair training issues a certificate number at sign-in.
import { test, expect, open } from "./fixtures";
import { createUser, loginToConsole } from "./auth-helpers";

test("the help centre leads to the training page with the upcoming session", async ({ page, jsEnabled }) => {
  await open(page, "/help", jsEnabled);
  await page.getByTestId("help-entries").getByRole("link", { name: /^培训/ }).click();
  await expect(page).toHaveURL(/\/help\/training$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("培训安排");
  await expect(page.getByTestId("training-upcoming")).toContainText("湘西州公共信用信息平台使用及双公示数据报送培训");
  await expect(page.getByRole("link", { name: "信用修复培训讲义" })).toBeVisible();
});

test("the office creates a repair training and signs someone in", async ({ page, request, baseURL, jsEnabled }, info) => {
  test.skip(!jsEnabled || info.project.name !== "desktop", "the console runs on the desktop with JavaScript");
  test.setTimeout(60_000);
  const office = await createUser(request, baseURL, "operator");
  await loginToConsole(page, office.username, office.password, true);
  await open(page, "/console/training", true);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("培训管理");
  const title = `信用修复培训（${Date.now().toString(36)}）`;
  const form = page.getByTestId("training-session-form");
  await form.getByLabel("培训名称").fill(title);
  await form.getByLabel("培训类别").selectOption({ label: "信用修复培训" });
  const day = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  await form.getByLabel("培训日期").fill(day);
  await form.getByLabel("开始时间").fill("09:30");
  await form.getByLabel("地点或线上会议链接").fill("湘西州政务服务中心三楼会议室");
  await form.getByLabel("名额（人）").fill("30");
  await form.getByRole("button", { name: "新建培训" }).click();
  await page.getByTestId("training-list").getByRole("link", { name: title }).click();
  await expect(page).toHaveURL(/\/console\/training\/[0-9a-f]+/);
  await expect(page.getByTestId("training-status")).toHaveText("计划");
  await page.getByLabel("姓名").fill("向明");
  await page.getByLabel("单位名称").fill("吉首市武陵商贸有限公司");
  await page.getByLabel("统一社会信用代码").fill("91433101MA4L123461");
  await page.getByLabel("联系电话").fill("13907431234");
  await page.getByRole("button", { name: "登记", exact: true }).click();
  const list = page.getByTestId("training-attendees");
  await expect(list).toContainText("139****1234");
  await list.getByRole("button", { name: "签到" }).click();
  await expect(list).toContainText("已签到");
  await expect(list.getByTestId("certificate-no")).toHaveText(/^XXPX-\d{4}-\d{5}$/);
});
