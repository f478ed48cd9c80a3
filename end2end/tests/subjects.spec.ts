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

// A full code our register lacks: the 法人库 and the report desk show the province's answer (the test
// province of global-setup), marked with its origin and time. A code we hold asks nothing.
test("a code the register lacks shows the province's answer, marked as such", async ({ page, request, baseURL, jsEnabled }) => {
  const operator = await createUser(request, baseURL, "operator");
  await loginToConsole(page, operator.username, operator.password, jsEnabled);
  const missing = "91433101MA4T7K2P05";
  await open(page, `/console/subjects?q=${missing}`, jsEnabled);
  const panel = page.getByTestId("upstream");
  await expect(panel).toContainText("省平台登记主体（模拟）");
  await expect(panel).toContainText(missing);
  await expect(page.getByTestId("upstream-origin")).toContainText(/来源：湖南省社会信用信息共享平台，(查询于|缓存的答复，取得于) \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);

  await open(page, `/console/credit?q=${missing}`, jsEnabled);
  await expect(page.getByTestId("upstream")).toContainText("省平台登记主体（模拟）");

  // A code the register holds: the local entry, and no province panel.
  await open(page, "/console/subjects?q=湘西", jsEnabled);
  const codes = await page.getByTestId("subject-list").locator("td[data-label='代码或证件号']").allInnerTexts();
  const held = codes.find((c) => /^[0-9A-Z]{18}$/.test(c.trim()));
  expect(held, "the demo register has organisations with a code").toBeDefined();
  await open(page, `/console/subjects?q=${held}`, jsEnabled);
  await expect(page.getByTestId("subject-list")).toContainText(held!.trim());
  await expect(page.getByTestId("upstream")).toHaveCount(0);
});
