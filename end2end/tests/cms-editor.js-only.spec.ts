// The CMS editor with two editors at once: optimistic locking. Needs JavaScript (the editor does).
import { test, expect, open } from "./fixtures";
import { createUser, loginToConsole } from "./auth-helpers";

test("two editors saving the same draft: the second gets a conflict message", async ({ browser, request, baseURL, isMobile }) => {
  test.skip(isMobile, "editing is a desktop task");
  const [a, b] = [await createUser(request, baseURL, "cms_editor"), await createUser(request, baseURL, "cms_editor")];
  const pa = await (await browser.newContext()).newPage();
  const pb = await (await browser.newContext()).newPage();
  await loginToConsole(pa, a.username, a.password, true);
  await open(pa, "/console/cms/new", true);
  await pa.getByLabel(/^标题/).fill(`共同编辑${Date.now()}`);
  await pa.getByRole("button", { name: "保存" }).click();
  await expect(pa).toHaveURL(/\/console\/cms\/[0-9a-f]{32}$/);
  await loginToConsole(pb, b.username, b.password, true);
  await open(pb, pa.url(), true);
  await open(pa, pa.url(), true);
  // Both opened version 1. A saves first; B's save would overwrite it and is refused.
  await pa.getByLabel("副标题").fill("甲的修改");
  await pa.getByRole("button", { name: "保存" }).click();
  await expect(pa.getByRole("status").filter({ hasText: "已保存为第 2 版" })).toBeVisible();
  await pb.getByLabel("副标题").fill("乙的修改");
  await pb.getByRole("button", { name: "保存" }).click();
  await expect(pb.getByRole("alert")).toContainText("保存冲突");
  await open(pb, pa.url(), true);
  await expect(pb.getByLabel("副标题")).toHaveValue("甲的修改");
});
