import { test, expect, open } from "./fixtures";
import { cases } from "./uscc-cases";

test("the code checker works through the plain GET form", async ({ page, jsEnabled }) => {
  for (const c of cases) {
    await open(page, "/tools/uscc", jsEnabled);
    await page.getByLabel("统一社会信用代码").fill(c.code);
    await page.getByRole("button", { name: "校验" }).click();
    await expect(page).toHaveURL(new RegExp(`code=${c.code}`));
    const result = page.getByTestId("uscc-result");
    await expect(result.locator("[data-code]")).toHaveAttribute("data-code", c.kind);
    await expect(result).toContainText(c.text);
    await expect(page.getByLabel("统一社会信用代码")).toHaveValue(c.code);
  }
});
