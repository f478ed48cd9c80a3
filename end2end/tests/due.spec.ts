// 到期更新 on a phone (and a desktop): a clerk opens the due-date board of the own unit; it shows every
// catalogue item with its frequency, due date and state, stacks into cards without sideways
// scrolling, and keeps its text at a readable size. Works with JavaScript on and off.
import { test, expect, open } from "./fixtures";
import { createUser, loginToConsole } from "./auth-helpers";

test("a clerk reads the due-date board of the own unit", async ({ page, request, baseURL, jsEnabled, isMobile }) => {
  const clerk = await createUser(request, baseURL, "clerk", { department_index: 0 });
  await loginToConsole(page, clerk.username, clerk.password, jsEnabled);
  const unit = (await page.getByTestId("console-user").innerText()).split(" · ")[1].trim();

  await open(page, "/console/due", jsEnabled);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("到期更新");
  const list = page.getByTestId("due-list");
  // The demo catalogue: every unit reports licences and penalties.
  const rows = list.locator("tbody tr");
  await expect(rows).toHaveCount(2);
  for (const cls of ["行政许可", "行政处罚"]) {
    const row = rows.filter({ hasText: cls });
    await expect(row).toContainText(unit);
    await expect(row.locator("td[data-label='应报送日期']")).toHaveText(/^\d{4}-\d{2}-\d{2}$/);
    await expect(row.locator("td[data-label='状态'] .badge")).toHaveText(/正常|即将到期|已逾期|严重逾期/);
  }
  await expect(page.getByRole("heading", { name: "7个工作日公示检查" })).toBeVisible();

  // Readable on the screen it is on: nothing wider than the viewport, body text at least 16 px.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const size = await rows.first().locator("td").first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(size).toBeGreaterThanOrEqual(16);
  if (isMobile) {
    // The table stacks: each cell on its own line with its label, inside the viewport.
    const box = await rows.first().boundingBox();
    const width = page.viewportSize()!.width;
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(width);
    const cells = rows.first().locator("td");
    const first = await cells.nth(0).boundingBox();
    const second = await cells.nth(1).boundingBox();
    expect(second!.y).toBeGreaterThan(first!.y);
  }
});
