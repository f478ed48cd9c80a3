// Time limits of logins and passwords. These move the server's clock (global and forward-only), so
// they run in the clock projects after all other tests, one at a time.
import { test, expect, open } from "./fixtures";
import { advanceClock, createUser, login, loginToConsole, newPassword } from "./auth-helpers";

test.describe.configure({ mode: "serial" });

// A data request made after the login has ended may be answered 401 or 403.
test.use({ expectedConsoleErrors: [/status of 40[13]/] });

test("an idle login ends after 30 minutes and the login page says why", async ({ page, request, baseURL, jsEnabled }) => {
  const user = await createUser(request, baseURL, "operator");
  await loginToConsole(page, user.username, user.password, jsEnabled);
  // Still signed in on reload before the limit.
  await open(page, "/console", jsEnabled);
  await expect(page.getByTestId("console-user")).toContainText(`（${user.username}）`);

  await advanceClock(request, baseURL, 31 * 60);
  await open(page, "/console", jsEnabled);
  await expect(page).toHaveURL(/\/login\?next=/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("工作人员登录");
  await expect(page.getByText(/已自动退出/)).toBeVisible();
  await expect(page.getByTestId("console-user")).toHaveCount(0);
});

test("an expired password must be changed before the console opens", async ({ page, request, baseURL, jsEnabled }) => {
  const user = await createUser(request, baseURL, "operator");
  await advanceClock(request, baseURL, 91 * 86400);

  await login(page, user.username, user.password, jsEnabled);
  await expect(page).toHaveURL(/\/account\/password$/);
  await expect(page.getByText("您的密码已过期或由管理员重置")).toBeVisible();
  // The console stays closed until the password is changed.
  await open(page, "/console", jsEnabled);
  await expect(page).toHaveURL(/\/account\/password$/);
  await expect(page.getByTestId("console-user")).toHaveCount(0);

  const fresh = newPassword();
  await page.getByLabel("当前密码", { exact: true }).fill(user.password);
  await page.getByLabel("新密码", { exact: true }).fill(fresh);
  await page.getByLabel("再次输入新密码", { exact: true }).fill(fresh);
  await page.getByRole("button", { name: "保存新密码" }).click();
  await expect(page).toHaveURL(/\/account\?changed=1$/);
  await expect(page.getByText("密码已修改")).toBeVisible();

  await open(page, "/console", jsEnabled);
  await expect(page).toHaveURL(/\/console$/);
  await expect(page.getByTestId("console-user")).toContainText(`（${user.username}）`);
});
