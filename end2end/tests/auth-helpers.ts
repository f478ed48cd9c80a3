// Helpers for tests of signing in: fresh accounts through the test hook, the login form, the clock.
import { APIRequestContext, Page } from "@playwright/test";
import { expect, open } from "./fixtures";

/** The password of accounts made by the test hook (and of the demo accounts). */
export const DEFAULT_PASSWORD = "Credit#Demo2026";

/** The message of every failed login (wrong password, unknown user, locked or disabled account). */
export const LOGIN_FAILED = "用户名或密码错误";

/** A username no other test (or parallel project) uses: starts with a letter, lowercase, ≤ 32 chars. */
export function uniqueName(prefix = "u"): string {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}

/** A password that meets the default policy (length, 3 of 4 classes) and was never used. */
export function newPassword(): string {
  const letters = "abcdefghjkmnpqrstuvwxyz";
  let tail = "";
  for (let i = 0; i < 6; i++) tail += letters[Math.floor(Math.random() * letters.length)];
  return `Qz7!${tail}K42`;
}

export interface TestUser {
  username: string;
  password: string;
  publicId: string;
  departmentPublicId: string | null;
}

/** Creates an account with one role through `POST /__test/user`. */
export async function createUser(
  request: APIRequestContext,
  baseURL: string | undefined,
  role: string,
  extra: { username?: string; department_index?: number; county?: string; password?: string } = {},
): Promise<TestUser> {
  const username = extra.username ?? uniqueName();
  const res = await request.post(`${baseURL}/__test/user`, { data: { ...extra, username, role } });
  expect(res.status(), `create ${role} ${username}: ${await res.text()}`).toBe(200);
  const body = (await res.json()) as { public_id: string; department_public_id: string | null };
  return {
    username,
    password: extra.password ?? DEFAULT_PASSWORD,
    publicId: body.public_id,
    departmentPublicId: body.department_public_id,
  };
}

/** Moves the server's clock forward (global: affects every test running at the time). */
export async function advanceClock(request: APIRequestContext, baseURL: string | undefined, seconds: number) {
  const res = await request.post(`${baseURL}/__test/clock`, { data: { advance_seconds: seconds } });
  expect(res.status(), await res.text()).toBe(200);
}

/** Opens the login page (default `/login`) and submits the form. The caller checks the outcome. */
export async function login(page: Page, username: string, password: string, jsEnabled: boolean, path = "/login") {
  await open(page, path, jsEnabled);
  await page.getByLabel("用户名", { exact: true }).fill(username);
  await page.getByLabel("密码", { exact: true }).fill(password);
  await page.getByRole("button", { name: "登录", exact: true }).click();
}

/** Logs in and waits until the console shows the user. */
export async function loginToConsole(page: Page, username: string, password: string, jsEnabled: boolean) {
  await login(page, username, password, jsEnabled);
  await expect(page).toHaveURL(/\/console/);
  await expect(page.getByTestId("console-user")).toContainText(`（${username}）`);
}

/** The login form's error alert. */
export function loginError(page: Page) {
  return page.getByRole("alert").filter({ hasText: LOGIN_FAILED });
}
