// Starts the real strongroom binary on a free port with a fresh data directory, seeds accounts
// through its CLI and API, and drives Debian's Chromium through playwright-core. Nothing is
// downloaded: the browser is /usr/bin/chromium (Debian's package).
import { spawn, execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
export const binary = process.env.STRONGROOM_BIN ?? path.resolve(here, "../../../build/strongroom");
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const kPassphrase = "violet tractor umbrella 1987 quietly";

function cli(dataDir, args) {
  const out = execFileSync(binary, [...args, "--data-dir", dataDir, "--json"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return JSON.parse(out);
}

// RFC 6238 TOTP (SHA-1, 6 digits, 30 s) from a base32 secret, as an authenticator app does.
function base32Decode(text) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of text.replace(/=+$/, "").toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function totpAt(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, "0");
}

// The server takes each time step's code once per user: a second sign-in within a step waits
// for the next one.
const lastStep = new Map();
export async function freshTotp(secret) {
  for (;;) {
    const step = Math.floor(Date.now() / 30_000);
    if ((lastStep.get(secret) ?? -1) < step) {
      lastStep.set(secret, step);
      return totpAt(secret, step);
    }
    await new Promise((r) => setTimeout(r, 30_000 - (Date.now() % 30_000) + 50));
  }
}

export class Instance {
  static async start() {
    const inst = new Instance();
    inst.dir = fs.mkdtempSync(path.join(os.tmpdir(), "strongroom-e2e-"));
    inst.dataDir = path.join(inst.dir, "data");
    const init = cli(inst.dataDir, ["init", "--admin", "admin"]);
    inst.accounts = {
      admin: { username: "admin", password: init.admin.password, secret: init.admin.totp_secret, id: init.admin.id },
    };
    inst.ca = fs.readFileSync(init.tls.cert_file);
    inst.server = spawn(binary, ["serve", "--data-dir", inst.dataDir, "--listen", "127.0.0.1:0", "--json"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    inst.stderr = "";
    inst.server.stderr.on("data", (d) => (inst.stderr += d));
    inst.url = await new Promise((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error(`server did not start: ${inst.stderr}`)), 30_000);
      inst.server.stdout.on("data", (d) => {
        out += d;
        const line = out.split("\n").find((l) => l.includes('"serving"'));
        if (line) {
          clearTimeout(timer);
          resolve(JSON.parse(line).url);
        }
      });
      inst.server.on("exit", (code) => reject(new Error(`server exited ${code}: ${inst.stderr}`)));
    });
    return inst;
  }

  async stop() {
    if (this.server && this.server.exitCode === null) {
      const exited = new Promise((r) => this.server.once("exit", r));
      this.server.kill("SIGTERM");
      await exited;
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  // One API call over HTTPS, trusting exactly the instance's certificate.
  api(method, route, { token, body } = {}) {
    const u = new URL(route, this.url);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(
        u,
        {
          method,
          ca: this.ca,
          headers: {
            ...(token ? { Authorization: `Bearer ${token}` } : {}),
            ...(payload ? { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(payload) } : {}),
          },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (d) => (text += d));
          res.on("end", () => {
            let json = null;
            try {
              json = text ? JSON.parse(text) : null;
            } catch {}
            resolve({ status: res.statusCode, headers: res.headers, body: json, text });
          });
        },
      );
      req.on("error", reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  async token(name) {
    const a = this.accounts[name];
    const r = await this.api("POST", "/api/v1/auth/login", {
      body: { username: a.username, password: a.password, totp: await freshTotp(a.secret) },
    });
    if (r.status !== 200) throw new Error(`sign-in of ${name} failed: ${r.text}`);
    return r.body.token;
  }

  // A user made by the admin over the API, enrolled now (the secret comes back).
  async addUser(adminToken, name, role, tenantId) {
    const r = await this.api("POST", "/api/v1/users", {
      token: adminToken,
      body: { username: name, role, password: kPassphrase, ...(tenantId ? { tenant_id: tenantId } : {}) },
    });
    if (r.status !== 201) throw new Error(`creating ${name} failed: ${r.text}`);
    this.accounts[name] = { username: name, password: kPassphrase, secret: r.body.totp_secret, id: r.body.id, tenant: tenantId };
    return this.accounts[name];
  }

  async addTenant(adminToken, name) {
    const r = await this.api("POST", "/api/v1/tenants", { token: adminToken, body: { name } });
    if (r.status !== 201) throw new Error(`creating tenant ${name} failed: ${r.text}`);
    return r.body.id;
  }
}

// A browser page that fails the test on any Content-Security-Policy violation or script error.
export async function openBrowser() {
  return chromium.launch({ executablePath: chromiumPath, args: ["--disable-gpu"] });
}

export async function newPage(browser, inst, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport, acceptDownloads: true });
  // Generous: the suite also runs against the sanitizer build, beside other tests.
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  page.problems = [];
  page.on("pageerror", (e) => page.problems.push(`script error: ${e.message}`));
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) page.problems.push(`CSP: ${m.text()}`);
  });
  await page.goto(inst.url);
  return page;
}

export async function signIn(page, inst, name) {
  const a = inst.accounts[name];
  await page.getByLabel("Username").fill(a.username);
  await page.getByLabel("Passphrase").fill(a.password);
  await page.getByLabel(/Code from your authenticator app/).fill(await freshTotp(a.secret));
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("who").waitFor({ state: "attached" });
}
