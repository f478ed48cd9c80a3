// 法人库: the credit office finds a subject by a name fragment and by the start of its code, and opens
// it with its register details and records; a clerk has no 法人库. Plain pages: with and without
// JavaScript, desktop and phone.
import { test, expect, open } from "./fixtures";
import { createUser, loginToConsole } from "./auth-helpers";

test("an operator finds a subject by name or code and reads its registry entry", async ({ page, request, baseURL, jsEnabled }) => {
  const operator = await createUser(request, baseURL, "operator");
  await loginToConsole(page, operator.username, operator.password, jsEnabled);
  await open(page, "/console/subjects?q=湘西", jsEnabled);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("法人库");
  const list = page.getByTestId("subject-list");
  const first = list.locator("tbody tr").first();
  await expect(first).toBeVisible();
  const name = await first.locator("td[data-label='名称']").innerText();
  const code = await first.locator("td[data-label='代码或证件号']").innerText();
  expect(name).toContain("湘西");

  await open(page, `/console/subjects?q=${encodeURIComponent(code.slice(0, 12))}`, jsEnabled);
  await list.getByRole("link", { name, exact: true }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByTestId("subject-facts")).toContainText(code);
  await expect(page.getByTestId("subject-records")).toContainText("行政处罚");
});

test("a clerk has no 法人库", async ({ page, request, baseURL, jsEnabled }) => {
  const clerk = await createUser(request, baseURL, "clerk", { department_index: 0 });
  await loginToConsole(page, clerk.username, clerk.password, jsEnabled);
  await expect(page.getByRole("navigation", { name: "工作台导航" }).getByRole("link", { name: "法人库" })).toHaveCount(0);
});
