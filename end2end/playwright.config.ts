import { defineConfig, devices } from "@playwright/test";

// Debian's Chromium; Playwright never downloads a browser here.
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

const desktop = { viewport: { width: 1280, height: 800 }, launchOptions: chromium };
const phone = {
  ...devices["Pixel 7"],
  browserName: "chromium" as const,
  launchOptions: chromium,
};

// *.js-only.spec.ts need JavaScript; *.clock.spec.ts move the server's clock (see the clock projects).
const jsOnlySpec = /\.js-only\.spec\.ts$/;
const clockSpec = /\.clock\.spec\.ts$/;

export default defineConfig({
  testDir: "./tests",
  globalSetup: "./global-setup.ts",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    screenshot: "only-on-failure",
    trace: "off",
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
  },
  projects: [
    { name: "desktop", use: { ...desktop }, testIgnore: clockSpec },
    { name: "phone", use: { ...phone }, testIgnore: clockSpec },
    // Public pages must work without JavaScript; tests that need it are named *.js-only.spec.ts.
    { name: "desktop-nojs", use: { ...desktop, javaScriptEnabled: false }, testIgnore: [jsOnlySpec, clockSpec] },
    { name: "phone-nojs", use: { ...phone, javaScriptEnabled: false }, testIgnore: [jsOnlySpec, clockSpec] },
    // Tests that move the server's (global, forward-only) clock run last, one project after the other
    // and one test at a time: a jump of one test's clock would expire another's sessions or schedules.
    {
      name: "clock-desktop",
      use: { ...desktop },
      testMatch: clockSpec,
      dependencies: ["desktop", "phone", "desktop-nojs", "phone-nojs"],
      workers: 1,
    },
    { name: "clock-phone", use: { ...phone }, testMatch: clockSpec, dependencies: ["clock-desktop"], workers: 1 },
  ],
});
