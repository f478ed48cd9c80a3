// Runs only in the projects with JavaScript (see playwright.config.ts): it checks as the user types.
import { test, expect, open } from "./fixtures";
import { cases } from "./uscc-cases";

test("the code checker checks as you type (JavaScript on)", async ({ page, jsEnabled }) => {
  await open(page, "/tools/uscc", jsEnabled);
  const input = page.getByLabel("统一社会信用代码");
  const result = page.getByTestId("uscc-result");
  for (const c of cases) {
    await input.fill(c.code);
    // No submit: the WASM rules answer on input.
    await expect(result.locator("[data-code]")).toHaveAttribute("data-code", c.kind);
    await expect(result).toContainText(c.text);
  }
  await expect(page).toHaveURL(/\/tools\/uscc$/);
  // A valid code shows what it says about its holder.
  await input.fill("914403001922038216");
  await expect(result).toContainText("代码有效");
  await expect(result).toContainText("市场监管");
  await expect(result).toContainText("企业");
});
