// Credit commitments (issue 20 item 3): a subject makes a commitment on a phone without an account and
// reads what happens next; the public commitments list filters through a plain GET form. Runs in every
// project: with JavaScript off the form is a plain post and the filters live in the URL.
import { test, expect, open } from "./fixtures";
import { uscc } from "./collect-helpers";

test("a subject makes a commitment online and is told what happens next", async ({ page, jsEnabled }) => {
  const serial = 500_000 + Math.floor(Math.random() * 400_000);
  await open(page, "/credit/lists/commitments", jsEnabled);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("信用承诺公示");
  await page.getByRole("link", { name: "在线作出信用承诺" }).click();
  await expect(page).toHaveURL(/\/commitments\/new$/);
  if (jsEnabled) await open(page, "/commitments/new", jsEnabled);
  await page.getByLabel("统一社会信用代码").fill(uscc(serial));
  await page.getByLabel("承诺主体名称").fill(`凤凰县沱江承诺测试商贸有限公司${serial}`);
  await page.getByLabel("承诺类型").selectOption("行业自律型");
  await expect(page.getByLabel("承诺内容")).not.toHaveValue("");
  await page.getByLabel("承诺受理单位").selectOption({ label: "湘西州市场监督管理局" });
  await page.getByLabel("联系电话或电子邮箱").fill("13907431234");
  await page.getByRole("button", { name: "提交承诺" }).click();
  await expect(page).toHaveURL(/\/commitments\/submitted\?ref=/);
  await expect(page.getByTestId("commitment-submitted")).toContainText("受理单位将核对您的承诺");
});

test("the commitments list filters by type and fulfilment in the URL", async ({ page, jsEnabled }) => {
  await open(page, "/credit/lists/commitments", jsEnabled);
  await page.locator("form.list-filters").getByLabel("承诺类型").selectOption("主动型");
  await page.locator("form.list-filters").getByLabel("履约状态").selectOption("未履约");
  await page.locator("form.list-filters").getByRole("button", { name: "查询" }).click();
  await expect(page).toHaveURL(/kind=/);
  await expect(page).toHaveURL(/fulfilment=/);
  await expect(page.locator(".active-filters")).toContainText("履约状态：未履约");
  await expect(page.getByRole("link", { name: "信用承诺办理指南" })).toHaveAttribute("href", "/column/commitment");
});
