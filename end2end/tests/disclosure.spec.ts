// 公示规则: an operator of the credit office opens the disclosure rules, sees the defaults of docs/domain.md §7
// (2025 regime, nothing extra published, ID numbers 6+4), and saves them; the change is stamped with who
// made it. A bad local rule is refused by field. Saved values are the defaults, so the other tests running
// at the same time see the same public pages.
import { test, expect, open } from "./fixtures";
import { createUser, loginToConsole } from "./auth-helpers";

test.use({ expectedConsoleErrors: [/status of 422/] });

test("the office keeps the disclosure rules", async ({ page, request, baseURL, jsEnabled }) => {
  const office = await createUser(request, baseURL, "operator");
  await loginToConsole(page, office.username, office.password, jsEnabled);
  await open(page, "/console/disclosure", jsEnabled);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("公示规则");
  await expect(page.getByLabel(/^2025 年规则/)).toBeChecked();
  await expect(page.getByLabel(/^公示仅为“警告”/)).not.toBeChecked();
  await expect(page.getByLabel("身份证号前部显示位数（最多 6）")).toHaveValue("6");

  // A local rule whose shortest period exceeds its longest is refused, naming the rule.
  await page.getByLabel(/^本地规则/).check();
  await page.getByLabel("严重：最短（月）").fill("40");
  await page.getByLabel("严重：最长（月）").fill("36");
  await page.getByRole("button", { name: "保存公示规则" }).click();
  await expect(page.getByRole("alert")).toContainText("严重失信的最短公示期限（40 个月）不能超过最长期限（36 个月）");

  await open(page, "/console/disclosure", jsEnabled);
  await page.getByLabel(/^2025 年规则/).check();
  await page.getByRole("button", { name: "保存公示规则" }).click();
  // Without JavaScript the form post lands back on the page (no notice); the stamp below shows the save.
  if (jsEnabled) await expect(page.getByRole("status").filter({ hasText: "公示规则已保存" })).toBeVisible();
  else await expect(page).toHaveURL(/\/console\/disclosure/);
  await open(page, "/console/disclosure", jsEnabled);
  await expect(page.getByTestId("disclosure-stamp")).toContainText(office.username);
  await expect(page.getByLabel(/^2025 年规则/)).toBeChecked();
});
