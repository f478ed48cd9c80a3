// The security admin makes an API key for a unit's system (shown once), the key works against the data
// API, and revoking it stops it at once; a partner's read key with its own rate limit is held to it,
// and its calls are in the access log. The one-time key is shown by the page script (like temporary
// passwords), so this needs JavaScript.
import { test, expect, open } from "./fixtures";
import { createUser, loginToConsole } from "./auth-helpers";

test("a key is shown once, works for its classes, and stops when revoked", async ({ page, request, baseURL, jsEnabled, isMobile }) => {
  test.skip(isMobile, "key administration is a desktop task");
  const admin = await createUser(request, baseURL, "security_admin");
  await loginToConsole(page, admin.username, admin.password, jsEnabled);
  await open(page, "/console/api-keys", jsEnabled);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("接口密钥");
  const purpose = `处罚系统${Date.now().toString(36)}${jsEnabled ? "j" : "n"}`;
  await page.getByLabel("用途").fill(purpose);
  await page.getByRole("group", { name: "可报送的数据类别" }).getByLabel("行政处罚").check();
  await page.getByRole("button", { name: "生成密钥" }).click();
  const shown = page.getByTestId("new-key");
  await expect(shown).toContainText(purpose);
  const key = (await shown.locator("code").innerText()).trim();
  expect(key).toMatch(/^xxc_[0-9a-f]{8}_[0-9a-f]{40}$/);

  // The key reads the data API; it may send penalties but not licences.
  const records = { records: [{ CF_WSH: `湘西市监罚〔2026〕${purpose}号`, CF_XDR_MC: "湘西测试有限公司" }] };
  let res = await request.post(`${baseURL}/api/v1/batches/penalty`, { headers: { authorization: `Bearer ${key}` }, data: records });
  expect(res.status()).toBe(201);
  const body = await res.json();
  expect(body.faults.map((f: { code: string }) => f.code)).toContain("REQ_MISSING");
  res = await request.post(`${baseURL}/api/v1/batches/licence`, { headers: { authorization: `Bearer ${key}` }, data: records });
  expect(res.status()).toBe(403);

  // Shown once: after a reload only the prefix remains.
  await open(page, "/console/api-keys", jsEnabled);
  await expect(page.getByTestId("new-key")).toHaveCount(0);
  const row = page.getByTestId("key-list").getByRole("row").filter({ hasText: purpose });
  await expect(row).toContainText(key.slice(0, 12));
  await expect(row).not.toContainText(key.slice(13));
  await row.getByRole("button", { name: "吊销" }).click();
  await expect(page.getByTestId("key-list").getByRole("row").filter({ hasText: purpose })).toContainText(/已于 .* 吊销/);
  res = await request.get(`${baseURL}/api/v1/batches/${body.batch_id}`, { headers: { authorization: `Bearer ${key}` } });
  expect(res.status()).toBe(401);
});

test("a partner's read key reads its class, is held to its rate and shows in the access log", async ({ page, request, baseURL, jsEnabled, isMobile }) => {
  test.skip(isMobile, "key administration is a desktop task");
  const admin = await createUser(request, baseURL, "security_admin");
  await loginToConsole(page, admin.username, admin.password, jsEnabled);
  await open(page, "/console/api-keys", jsEnabled);
  const purpose = `智慧办${Date.now().toString(36)}`;
  await page.getByLabel("用途").fill(purpose);
  await page.getByRole("group", { name: /可读取的公示数据类别/ }).getByLabel("行政处罚").check();
  await page.getByLabel("每分钟请求上限").fill("2");
  await page.getByRole("button", { name: "生成密钥" }).click();
  const key = (await page.getByTestId("new-key").locator("code").innerText()).trim();
  const row = page.getByTestId("key-list").getByRole("row").filter({ hasText: purpose });
  await expect(row).toContainText("read:penalty");
  await expect(row.locator("td[data-label='每分钟上限']")).toHaveText("2");

  const auth = { authorization: `Bearer ${key}` };
  let res = await request.get(`${baseURL}/api/v1/changes?limit=5`, { headers: auth });
  expect(res.status(), await res.text()).toBe(200);
  res = await request.get(`${baseURL}/api/v1/changes?limit=5&class=licence`, { headers: auth });
  expect(res.status()).toBe(403);
  expect((await res.json()).error.code).toBe("SCOPE_MISSING");
  res = await request.get(`${baseURL}/api/v1/changes?limit=5`, { headers: auth });
  expect(res.status()).toBe(429);
  expect(Number(res.headers()["retry-after"])).toBeGreaterThanOrEqual(1);

  await open(page, `/console/api-access?key=${key.split("_")[1]}`, jsEnabled);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("接口访问日志");
  const usage = page.getByTestId("api-usage").getByRole("row").filter({ hasText: purpose });
  await expect(usage.locator("td[data-label='调用次数']")).toHaveText("3");
  await expect(usage.locator("td[data-label='被拒绝或出错']")).toHaveText("2");
  await expect(page.getByTestId("api-access")).toContainText("GET /api/v1/changes?limit=5&class=licence");
  const downloading = page.waitForEvent("download");
  await page.getByTestId("api-access-export").getByRole("button").click();
  expect((await downloading).suggestedFilename()).toMatch(/^接口访问日志-\d{4}-\d{2}-\d{2}\.xlsx$/);
});
