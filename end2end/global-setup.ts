// Starts the real release server binary on a free port with a fresh SQLite database, waits until it
// is ready, and hands its URL to the tests through E2E_BASE_URL. Returns the teardown.
import { spawn } from "node:child_process";
import { mkdtempSync, existsSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export default async function globalSetup() {
  const root = path.resolve(__dirname, "..");
  const binary = path.join(root, "target", "release", "server");
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run cargo leptos build --release first`);
  const dataDir = mkdtempSync(path.join(tmpdir(), "xiangxi-e2e-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // The province: the same binary's stand-in for the push interface, so the push log pushes for real.
  const provincePort = await freePort();
  const provinceSecret = "e2e-province-secret";
  const province = spawn(binary, ["province-sink", "--addr", `127.0.0.1:${provincePort}`], {
    cwd: root,
    env: { ...process.env, APP_PROVINCE_SECRET: provinceSecret, RUST_LOG: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const server = spawn(binary, ["serve"], {
    cwd: root,
    env: {
      ...process.env,
      APP_DATA_DIR: dataDir,
      DATABASE_URL: `sqlite://${path.join(dataDir, "e2e.db")}?mode=rwc`,
      APP_DEMO_SUBJECTS: "300",
      APP_TEST_HOOKS: "1",
      // Uploaded batches are checked by the job runner: poll often so tests do not wait.
      APP_JOB_POLL_MS: "300",
      // Every test logs in from 127.0.0.1; the per-IP login limit is tested by the Rust probes.
      APP_LOGIN_RATE_PER_MIN: "100000",
      // Likewise the public credit search and report requests (their limits are tested in credit.rs).
      APP_SEARCH_RATE_PER_MIN: "100000",
      APP_REPORT_RATE_PER_HOUR: "100000",
      // Consultations from 127.0.0.1 in every project (their limit is tested in help.rs).
      APP_CONSULT_RATE_PER_HOUR: "100000",
      // Case tracking pages from 127.0.0.1 in every project.
      APP_TRACK_RATE_PER_MIN: "100000",
      APP_PROVINCE_URL: `http://127.0.0.1:${provincePort}`,
      APP_PROVINCE_SECRET: provinceSecret,
      LEPTOS_SITE_ROOT: path.join(root, "target", "site"),
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      RUST_LOG: process.env.E2E_RUST_LOG ?? "warn",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  let exited = false;
  server.on("exit", () => (exited = true));

  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited) throw new Error("the server exited during start-up");
    try {
      const r = await fetch(`${base}/readyz`);
      if (r.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error("the server did not become ready within 120 s");
    await new Promise((r) => setTimeout(r, 250));
  }
  process.env.E2E_BASE_URL = base;

  return async () => {
    server.kill("SIGTERM");
    province.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    rmSync(dataDir, { recursive: true, force: true });
  };
}
