import { test, expect, open } from "./fixtures";

const cases = [
  { code: "91110000802100433B", text: "代码有效", kind: "OK" },
  { code: "9111000080210043", text: "当前为16位", kind: "USCC_LENGTH" },
  { code: "91110000802I00433B", text: "第13位的“I”", kind: "USCC_CHARSET" },
  { code: "91110000802100433C", text: "第18位校验码错误", kind: "USCC_CHECK_CHAR" },
  { code: "91110000802100434B", text: "组织机构代码的校验码错误", kind: "USCC_ORG_CODE_CHECK" },
];

test("the code checker checks as you type (JavaScript on)", async ({ page, jsEnabled }) => {
  test.skip(!jsEnabled, "typing checks need JavaScript; the no-JS form is tested below");
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
  await expect(result).toContainText("市场监管");
});

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
