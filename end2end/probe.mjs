import { chromium } from "@playwright/test";
const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless","--no-sandbox"] });
const p = await b.newPage();
p.on("console", m => console.log("CONSOLE", m.type(), m.text().slice(0, 400)));
p.on("pageerror", e => console.log("PAGEERROR", String(e).slice(0, 400)));
const U = process.env.URL;
await p.goto(U + "/login");
await p.waitForTimeout(1500);
await p.getByLabel("用户名", { exact: true }).fill(process.env.WHO || "sysadmin");
await p.getByLabel("密码", { exact: true }).fill("Xiangxi#2026");
await p.getByRole("button", { name: "登录", exact: true }).click();
await p.waitForTimeout(2500);
console.log("url:", p.url(), "hydrated:", await p.locator("body").getAttribute("data-hydrated"));
for (const path of (process.env.PATHS || "/console/users").split(",")) {
  const r = await p.goto(U + path);
  await p.waitForTimeout(2500);
  console.log(path, r.status(), "hydrated:", await p.locator("body").getAttribute("data-hydrated"));
}
await b.close();
