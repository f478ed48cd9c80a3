// Signing in and out, the generic login error, and what each role may open. Runs with and without
// JavaScript: the login and logout forms post plainly when scripts are off.
import { test, expect, open } from "./fixtures";
import { createUser, login, loginError, loginToConsole, uniqueName } from "./auth-helpers";

// The browser logs the status of forbidden pages (403) and, with JavaScript, of refused logins (422).
test.use({ expectedConsoleErrors: [/status of (40[13]|422)/] });

test("an operator logs in and out; the console then asks to log in again", async ({ page, request, baseURL, jsEnabled }) => {
  const user = await createUser(request, baseURL, "operator");
  await loginToConsole(page, user.username, user.password, jsEnabled);
  await expect(page.getByRole("navigation", { name: "工作台导航" }).getByRole("link", { name: "工作台首页" })).toBeVisible();
  await expect(page.getByRole("link", { name: "我的账户" })).toBeVisible();

  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page).toHaveURL(/\/login(\?|$)/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("工作人员登录");

  // The login has ended: the console redirects to the login page.
  await open(page, "/console", jsEnabled);
  await expect(page).toHaveURL(/\/login\?next=(%2F|\/)console$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("工作人员登录");
  await expect(page.getByTestId("console-user")).toHaveCount(0);
});

test("a wrong password and an unknown user get the same generic message", async ({ page, request, baseURL, jsEnabled }) => {
  const user = await createUser(request, baseURL, "operator");
  await login(page, user.username, "Wrong#Pass99", jsEnabled);
  await expect(loginError(page)).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByTestId("console-user")).toHaveCount(0);
  const wrongPassword = (await loginError(page).innerText()).trim();

  await login(page, uniqueName("nobody"), "Wrong#Pass99", jsEnabled);
  await expect(loginError(page)).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  // Neither the account's existence nor its state is revealed.
  expect((await loginError(page).innerText()).trim()).toBe(wrongPassword);
});

test("a clerk sees only their own department and no user management", async ({ page, request, baseURL, jsEnabled }) => {
  const clerk = await createUser(request, baseURL, "clerk", { department_index: 0 });
  // A clerk of another department, only to learn that department's id.
  const other = await createUser(request, baseURL, "clerk", { department_index: 1 });
  expect(clerk.departmentPublicId).toBeTruthy();
  expect(other.departmentPublicId).toBeTruthy();
  expect(clerk.departmentPublicId).not.toBe(other.departmentPublicId);

  await loginToConsole(page, clerk.username, clerk.password, jsEnabled);
  const nav = page.getByRole("navigation", { name: "工作台导航" });
  await expect(nav.getByRole("link", { name: "单位与区县" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "用户管理" })).toHaveCount(0);

  const forbidden = page.getByRole("alert").filter({ hasText: "无权访问（403）" });

  let res = await open(page, "/console/users", jsEnabled);
  expect(res?.status()).toBe(403);
  await expect(forbidden).toBeVisible();
  await expect(page.getByTestId("users-table")).toHaveCount(0);

  res = await open(page, `/console/orgs/${clerk.departmentPublicId}`, jsEnabled);
  expect(res?.status()).toBe(200);
  await expect(page.getByTestId("department-name")).toHaveText(/\S/);
  await expect(forbidden).toHaveCount(0);
  // The clerk is listed among the department's accounts.
  await expect(page.getByRole("listitem").filter({ hasText: `（${clerk.username}）` })).toBeVisible();

  res = await open(page, `/console/orgs/${other.departmentPublicId}`, jsEnabled);
  expect(res?.status()).toBe(403);
  await expect(forbidden).toBeVisible();
  await expect(page.getByTestId("department-name")).toHaveCount(0);
  await expect(page.getByRole("listitem").filter({ hasText: `（${other.username}）` })).toHaveCount(0);
});

test("an anonymous visit to the console goes to the login page and back after login", async ({ page, request, baseURL, jsEnabled }) => {
  await open(page, "/console/users", jsEnabled);
  await expect(page).toHaveURL(/\/login\?next=(%2F|\/)console(%2F|\/)users$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("工作人员登录");
  await expect(page.getByTestId("users-table")).toHaveCount(0);

  // Logging in from there returns to the page asked for.
  const admin = await createUser(request, baseURL, "system_admin");
  await page.getByLabel("用户名", { exact: true }).fill(admin.username);
  await page.getByLabel("密码", { exact: true }).fill(admin.password);
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await expect(page).toHaveURL(/\/console\/users$/);
  await expect(page.getByTestId("users-table")).toBeVisible();
});
