import { chromium, devices } from "@playwright/test";
const U = process.env.URL;
const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless","--no-sandbox"] });
for (const [name, opts] of [["phone", { ...devices["Pixel 7"] }], ["desktop", { viewport: { width: 1280, height: 800 } }]]) {
  const ctx = await b.newContext({ ...opts, locale: "zh-CN" });
  const p = await ctx.newPage();
  p.on("pageerror", e => console.log("PAGEERROR", String(e).slice(0, 300)));
  await p.goto(U + "/login"); await p.waitForTimeout(1200);
  await p.screenshot({ path: `/tmp/shot-${name}-login.png`, fullPage: true });
  await p.getByLabel("用户名", { exact: true }).fill("sysadmin");
  await p.getByLabel("密码", { exact: true }).fill("Credit#Demo2026");
  await p.getByRole("button", { name: "登录", exact: true }).click();
  await p.waitForURL(/console/); await p.waitForTimeout(1200);
  await p.screenshot({ path: `/tmp/shot-${name}-console.png`, fullPage: true });
  await p.goto(U + "/console/users"); await p.waitForTimeout(1500);
  await p.screenshot({ path: `/tmp/shot-${name}-users.png`, fullPage: true });
  await p.locator("[data-testid=users-table] tbody a").first().click(); await p.waitForTimeout(1500);
  await p.screenshot({ path: `/tmp/shot-${name}-user.png`, fullPage: true });
  await ctx.close();
}
await b.close();
