// 省平台推送日志: the e2e server pushes to the same binary's stand-in of the province's interface
// (global-setup). An operator pushes the queue now, sets a kind's schedule, reads the sent messages
// with their lag against the 7-working-day rule, and exports the range by the province's field codes.
import { test, expect, open } from "./fixtures";
import { createUser, loginToConsole } from "./auth-helpers";
import { readFileSync } from "node:fs";

test("an operator pushes the queue to the province, sets a schedule and exports the range", async ({ page, request, baseURL, jsEnabled }) => {
  test.setTimeout(60_000);
  const op = await createUser(request, baseURL, "operator");
  await loginToConsole(page, op.username, op.password, jsEnabled);
  await open(page, "/console/province/push", jsEnabled);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("省平台推送日志");
  // The province is configured here: no warning that nothing is sent.
  await expect(page.getByTestId("push-unconfigured")).toHaveCount(0);
  const row = page.getByTestId("push-kinds").locator("tr[data-kind=penalty]");
  await expect(row.locator("th")).toHaveText("行政处罚");

  // Push now (the minute job may have pushed the demo's queue already; other tests add to it).
  const now = row.getByRole("button", { name: "立即推送行政处罚" });
  if (await now.isEnabled()) {
    await now.click();
    if (jsEnabled) await expect(page.getByTestId("push-now-result")).toContainText("行政处罚：送达");
  }
  await open(page, "/console/province/push", jsEnabled);
  const sent = Number(await row.locator("td").nth(5).innerText());
  expect(sent).toBeGreaterThan(0);

  // The schedule: hourly, kept.
  await row.getByLabel("行政处罚的推送频率").selectOption("realtime");
  await row.getByRole("button", { name: "保存" }).click();
  await open(page, "/console/province/push", jsEnabled);
  await expect(row.getByLabel("行政处罚的推送频率")).toHaveValue("realtime");

  // The sent penalties: each with its lag against the rule.
  await open(page, "/console/province/push?kind=penalty&state=sent", jsEnabled);
  const log = page.getByTestId("push-log");
  await expect(log.locator("tbody tr").first()).toBeVisible();
  expect(await log.locator("tbody tr:not([data-state=sent])").count()).toBe(0);
  await expect(log.locator("tbody tr").first()).toContainText(/个工作日，(按时送达|超期送达)/);

  // The range as a file by the province's field codes.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "导出 CSV" }).click(),
  ]);
  const text = readFileSync(await download.path(), "utf8");
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const [header, first] = text.slice(1).split(/\r?\n/);
  expect(header.startsWith("消息键,变更,版本,变更时间,CF_XDR_MC,")).toBeTruthy();
  expect(header).toContain("CF_WSH");
  expect(first).toMatch(/^penalty:[0-9a-f]+:\d+:\w+,/);
});
