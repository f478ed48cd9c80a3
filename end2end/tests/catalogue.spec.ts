// 信用目录管理: an operator defines a class of her own, adds and edits a field, switches a rule off,
// names a source unit with an exchange address and pulls it at once; a clerk sees the catalogue but no
// edit controls. Every form is a plain post, so this runs with and without JavaScript. The class is new
// per run, so parallel tests that use the built-in classes are not affected.
import { test, expect, open } from "./fixtures";
import { createUser, loginToConsole } from "./auth-helpers";

// The browser logs the status of refused form posts (422) with JavaScript on.
test.use({ expectedConsoleErrors: [/status of 422/] });

test("an operator defines a class, edits its fields, rules and source units", async ({ page, request, baseURL, jsEnabled }) => {
  test.setTimeout(60_000);
  const operator = await createUser(request, baseURL, "operator");
  await loginToConsole(page, operator.username, operator.password, jsEnabled);
  const code = `e2e_${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;
  const name = `测试类别${code.slice(-6)}`;

  await open(page, "/console/catalogue", jsEnabled);
  await page.getByLabel("类别代码").fill(code);
  await page.getByLabel("类别名称").fill(name);
  await page.getByRole("button", { name: "创建类别" }).click();
  await expect(page).toHaveURL(new RegExp(`/console/catalogue/${code}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  const fields = page.getByTestId("field-list");
  await expect(fields.getByRole("row")).toHaveCount(7); // header + the six fields every class has

  // A field of its own; a bad value list is refused with the reason beside the field.
  await page.getByRole("link", { name: "新增字段" }).click();
  const fillGrade = async (options: string) => {
    await page.getByLabel("字段代码").fill("grade");
    await page.getByLabel("字段名称").fill("评价等级");
    await page.getByLabel("类型").selectOption("enum");
    await page.getByLabel("填报要求").selectOption("required");
    await page.getByLabel(/^取值/).fill(options);
    await page.getByLabel("最大长度（字）").fill("2");
    await page.getByRole("button", { name: "保存字段" }).click();
  };
  await fillGrade("A；B；=C");
  await expect(page.getByText("别名写作“别名=标准值”")).toBeVisible();
  // Without JavaScript the page comes back empty with the message; with it the inputs keep their values.
  await fillGrade("A；B；M；C；D；甲=A");
  await expect(page).toHaveURL(new RegExp(`/console/catalogue/${code}\\?saved=1`));
  await expect(page.getByRole("status").filter({ hasText: "已保存" })).toBeVisible();
  const grade = fields.getByRole("row").filter({ hasText: "评价等级" });
  await expect(grade).toContainText("A、B、M、C、D");

  // Edit it: another header name.
  await page.getByRole("link", { name: "编辑字段评价等级" }).click();
  await expect(page.getByLabel("字段代码")).toHaveValue("grade");
  await page.getByLabel(/^其他表头/).fill("信用等级；纳税等级");
  await page.getByRole("button", { name: "保存字段" }).click();
  await expect(grade).toContainText("信用等级、纳税等级");

  // Switch an optional rule off for this class.
  const rule = page.getByTestId("rule-list").locator("tr[data-rule='TEXT_PHONE_UNMASKED']");
  await expect(rule.getByTestId("rule-state")).toHaveText("启用");
  await rule.getByRole("button", { name: /^停用规则/ }).click();
  await expect(rule.getByTestId("rule-state")).toHaveText("已停用");

  // A source unit with an address that serves no table (JSON): 立即交换 reports why.
  await page.getByLabel("单位", { exact: true }).selectOption({ index: 0 });
  const unit = await page.getByLabel("单位", { exact: true }).locator("option:checked").innerText();
  await page.getByLabel("报送频率").selectOption("weekly");
  await page.getByLabel("定时交换地址（可选）").fill(`${baseURL}/healthz`);
  await page.getByRole("button", { name: "保存报送单位" }).click();
  const source = page.getByTestId("source-list").getByRole("row").filter({ hasText: unit });
  await expect(source).toContainText("每周");
  await source.getByRole("button", { name: `立即交换${unit}的数据` }).click();
  await expect(page.getByTestId("source-list").getByRole("row").filter({ hasText: unit })).toContainText("交换失败");
});

test("a clerk reads the catalogue without edit controls", async ({ page, request, baseURL, jsEnabled }) => {
  const clerk = await createUser(request, baseURL, "clerk", { department_index: 0 });
  await loginToConsole(page, clerk.username, clerk.password, jsEnabled);
  await open(page, "/console/catalogue/penalty", jsEnabled);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("行政处罚");
  await expect(page.getByTestId("field-list")).toContainText("CF_WSH");
  await expect(page.getByRole("link", { name: /^编辑字段/ })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^停用规则/ })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "保存报送单位" })).toHaveCount(0);
  await open(page, "/console/catalogue", jsEnabled);
  await expect(page.getByRole("button", { name: "创建类别" })).toHaveCount(0);
});
