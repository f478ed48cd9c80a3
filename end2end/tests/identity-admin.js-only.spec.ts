// Administration of identities that needs JavaScript (buttons that refresh data in place): unlocking a
// locked account, and verifying the audit chain.
import { Page } from "@playwright/test";
import { test, expect, open } from "./fixtures";
import { DEFAULT_PASSWORD, createUser, login, loginError, loginToConsole } from "./auth-helpers";

// Refused logins answer 422; forbidden or signed-out data requests 403/401.
test.use({ expectedConsoleErrors: [/status of (40[13]|422)/] });

/** Submits the login form and waits for the server's answer; returns whether it succeeded. */
async function attempt(page: Page, username: string, password: string): Promise<boolean> {
  const answer = page.waitForResponse((r) => r.url().includes("/auth/login") && r.request().method() === "POST");
  await login(page, username, password, true);
  return (await answer).ok();
}

test("five wrong passwords lock the account until an administrator unlocks it", async ({ page, browser, request, baseURL }) => {
  test.setTimeout(90_000);
  const user = await createUser(request, baseURL, "operator");

  for (let i = 1; i <= 5; i++) {
    expect(await attempt(page, user.username, `Wrong#Pass${i}x`), `wrong password ${i}`).toBe(false);
    await expect(loginError(page)).toBeVisible();
  }
  // Locked: even the right password is refused, with the same message.
  expect(await attempt(page, user.username, user.password), "right password while locked").toBe(false);
  await expect(loginError(page)).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByTestId("console-user")).toHaveCount(0);

  // The system administrator unlocks it, in a browser of their own.
  const context = await browser.newContext({ baseURL, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  try {
    const admin = await context.newPage();
    await loginToConsole(admin, "sysadmin", DEFAULT_PASSWORD, true);
    await open(admin, `/console/users?q=${encodeURIComponent(user.username)}`, true);
    const table = admin.getByTestId("users-table");
    const link = table.getByRole("link", { name: user.username, exact: true });
    // The list marks the account as locked too.
    const row = table.locator("tr").filter({ has: admin.getByRole("link", { name: user.username, exact: true }) });
    await expect(row).toContainText("已锁定");
    await link.click();
    await expect(admin).toHaveURL(new RegExp(`/console/users/${user.publicId}$`));
    const status = admin.getByTestId("user-status");
    await expect(status).toContainText("已锁定");
    await expect(status).toContainText("锁定至");
    await admin.getByRole("button", { name: "解除锁定" }).click();
    await expect(status).toHaveText("正常");
    await expect(admin.getByRole("button", { name: "解除锁定" })).toHaveCount(0);
  } finally {
    await context.close();
  }

  // Unlocked: the right password works again.
  await loginToConsole(page, user.username, user.password, true);
});

test("the audit administrator verifies that the audit chain is intact", async ({ page }) => {
  await loginToConsole(page, "auditor", DEFAULT_PASSWORD, true);
  await expect(page.getByRole("navigation", { name: "工作台导航" }).getByRole("link", { name: "审计日志" })).toBeVisible();
  await open(page, "/console/audit", true);
  await page.getByRole("button", { name: "校验审计链" }).click();
  const chain = page.getByTestId("chain-status");
  await expect(chain).toContainText("审计链完整");
  await expect(chain.locator("strong")).toHaveText("完整");
  await expect(chain).not.toContainText("已被破坏");
});
