// 联合奖惩 catalogue (issue 21, items 2 and 3): the credit office downloads the measures sample, imports it
// (nothing changes: the demo already holds it), links a measure to a new service matter, and a clerk of
// that unit sees the matter with its measure.
import { test, expect, open } from "./fixtures";
import { createUser, loginToConsole } from "./auth-helpers";

test("the office imports the measures and links one to a matter", async ({ page, baseURL, request, browser }) => {
  test.setTimeout(60_000);
  const office = await createUser(request, baseURL, "operator");
  await loginToConsole(page, office.username, office.password, true);

  await open(page, "/console/joint/measures", true);
  await expect(page.getByTestId("measure-list")).toContainText("JC-01");
  const sample = await page.request.get("/console/joint/measures/sample.xlsx");
  expect(sample.status()).toBe(200);
  await page.getByLabel("清单文件（XLSX）").setInputFiles({
    name: "措施清单.xlsx",
    mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    buffer: await sample.body(),
  });
  await page.getByTestId("measures-import").getByRole("button", { name: "导入" }).click();
  await expect(page.getByTestId("measures-imported")).toContainText("新增 0 项");

  // A new matter of the clerk's unit, with one sanction.
  const clerk = await createUser(request, baseURL, "clerk", { department_index: 0 });
  const code = `E2E-${Date.now().toString(36)}`;
  await open(page, "/console/joint/matters", true);
  const form = page.getByTestId("matter-form");
  await form.getByLabel("事项编码").fill(code);
  await form.getByLabel("事项名称").fill("政府采购供应商资格审查");
  await form.getByLabel("实施部门").selectOption(clerk.departmentPublicId!);
  await form.getByLabel(/^JC-01 /).check();
  await form.getByRole("button", { name: "保存事项" }).click();
  await expect(page.getByTestId("matter-saved")).toBeVisible();
  await expect(page.locator(`tr[data-code="${code}"]`)).toContainText("JC-01");

  // The clerk sees it, and cannot change it.
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 }, locale: "zh-CN" });
  const clerkPage = await context.newPage();
  try {
    await loginToConsole(clerkPage, clerk.username, clerk.password, true);
    await open(clerkPage, "/console/joint/matters", true);
    await expect(clerkPage.locator(`tr[data-code="${code}"]`)).toContainText("政府采购供应商资格审查");
    await expect(clerkPage.getByTestId("matter-form")).toHaveCount(0);
  } finally {
    await context.close();
  }
});
