// Renders the main pages into docs/screenshots/ (make screenshots): a fresh instance with a
// client tenant, a security officer and some activity, in Debian's Chromium at 1280x800.
// Usage: node tests/screenshots.mjs OUTDIR
import fs from "node:fs";
import path from "node:path";
import { Instance, freshTotp, newPage, openBrowser, signIn } from "./e2e/harness.mjs";

const out = path.resolve(process.argv[2] ?? "../docs/screenshots");
fs.mkdirSync(out, { recursive: true });
const inst = await Instance.start();
const browser = await openBrowser();
const shots = [];
async function shot(page, name, what) {
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: path.join(out, `${name}.png`), fullPage: false });
  shots.push(`${name}.png: ${what}`);
}

try {
  const admin = await inst.token("admin");
  const acme = await inst.addTenant(admin, "Acme Corporation");
  await inst.addUser(admin, "officer", "security_officer");
  await inst.addUser(admin, "acme-admin", "client_admin", acme);
  await inst.addUser(admin, "sam", "service");
  const officer = await inst.token("officer");
  await inst.api("PATCH", `/api/v1/users/${inst.accounts.sam.id}`, { token: officer, body: { qualified: true } });
  const client = await inst.token("acme-admin");
  await inst.api("PUT", `/api/v1/tenants/${acme}/collections/customers`, {
    token: client,
    body: { classification: "confidential", lookup_fields: ["email"], restricted_fields: ["national_id"] },
  });
  const people = [["c1", "Ada Byron"], ["c2", "Alan Turing"], ["c3", "Grace Hopper"], ["c4", "Edsger Dijkstra"]];
  for (const [id, name] of people) {
    await inst.api("PUT", `/api/v1/tenants/${acme}/collections/customers/records/${id}`, {
      token: client,
      body: { name, email: `${id}@example.net`, plan: "business", national_id: `ID-${id}` },
    });
  }
  await inst.api("POST", `/api/v1/tenants/${acme}/grants`, {
    token: client,
    body: { grantee: "sam", access: "read", collections: ["customers"], reason: "Ticket 4711: import fails", expires_at: new Date(Date.now() + 8 * 3600e3).toISOString() },
  });
  await inst.api("GET", `/api/v1/tenants/${acme}/collections/customers/records/c2`, { token: await inst.token("sam") });
  for (let i = 0; i < 6; ++i) {
    await inst.api("POST", "/api/v1/auth/login", { body: { username: "sam", password: "not the right one at all" } });
  }
  // Evidence for a few controls, so coverage shows requirements met beside those still to do.
  for (const control of ["SR-CRY-01", "SR-CRY-02", "SR-IAM-01", "SR-LOG-01", "SR-LOG-02", "SR-BAK-01"]) {
    await inst.api("PATCH", `/api/v1/controls/${control}`, { token: officer, body: { status: "implemented" } });
    await inst.api("POST", `/api/v1/controls/${control}/evidence`, {
      token: officer,
      body: {
        kind: "attestation", title: `${control} checked`, attested_by: "Security officer",
        statement: "Checked on the running system.", period_from: "2026-09-01", period_to: "2026-11-30",
        expires_at: new Date(Date.now() + 365 * 86400e3).toISOString(),
      },
    });
  }
  await inst.api("POST", "/api/v1/users", { token: admin, body: { username: "new-hire", role: "staff", password: "a temporary passphrase for day one", enroll_at_first_sign_in: true } });

  let page = await newPage(browser, inst);
  await shot(page, "sign-in", "the sign-in page");
  await page.getByLabel("Username").fill("new-hire");
  await page.getByLabel("Passphrase").fill("a temporary passphrase for day one");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("img", { name: /QR code/ }).waitFor();
  await shot(page, "enrolment", "enrolment at first sign-in: QR code, secret and recovery codes");

  page = await newPage(browser, inst);
  await signIn(page, inst, "officer");
  await page.getByRole("region", { name: "Coverage per framework" }).getByRole("img").first().waitFor();
  await page.getByRole("region", { name: "Open alerts" }).getByRole("listitem").first().waitFor();
  await shot(page, "dashboard", "the security officer's dashboard");
  await page.getByRole("link", { name: "Frameworks" }).click();
  await page.getByRole("link", { name: /ISO\/IEC 27001:2022/ }).click();
  const details = page.getByRole("table", { name: "Requirements and their coverage" }).locator("details");
  await details.first().waitFor();
  await shot(page, "coverage", "coverage of ISO/IEC 27001:2022, with an as-of date and the exports");
  const open = details.nth(0);
  await open.locator("summary").click();
  await open.evaluate((e) => e.closest("tr")?.scrollIntoView({ block: "center" }));
  await shot(page, "coverage-reasons", "a requirement's coverage opened to the controls behind it");
  await page.getByRole("link", { name: "Controls" }).click();
  await page.getByRole("link", { name: "SR-CRY-01" }).click();
  await page.getByRole("heading", { name: /SR-CRY-01/ }).waitFor();
  await shot(page, "control", "a control with its mappings, evidence and the evidence form");
  await page.getByRole("link", { name: "Audit events" }).click();
  await page.getByRole("table", { name: "Audit events" }).getByText("auth.login").first().waitFor();
  await shot(page, "audit-events", "the audit trail for oversight, with filters");
  await page.getByRole("link", { name: "Alerts" }).click();
  await page.getByRole("article").first().waitFor();
  await shot(page, "alerts", "open alerts with acknowledgement");

  page = await newPage(browser, inst);
  await signIn(page, inst, "acme-admin");
  await page.getByRole("link", { name: "customers" }).click();
  await page.getByRole("link", { name: "c1" }).waitFor();
  await shot(page, "client-records", "a client's collection of records");
  await page.getByRole("link", { name: "c1" }).click();
  await page.getByTestId("record-json").waitFor();
  await shot(page, "client-record", "a record with its restricted field masked");
  await page.getByRole("link", { name: "Provider access" }).click();
  await page.getByRole("table", { name: "Grants" }).getByText("Ticket 4711").waitFor();
  await shot(page, "client-grants", "the grants a client issued to the provider");
  await page.getByRole("link", { name: "Audit trail" }).click();
  await page.getByLabel("Only the provider's people").check();
  await page.getByRole("button", { name: "Verify" }).click();
  await page.getByTestId("verdict").waitFor();
  await shot(page, "client-audit-verified", "the client's audit trail: the provider's accesses, verified in the browser");

  page = await newPage(browser, inst, { width: 390, height: 844 });
  await signIn(page, inst, "acme-admin");
  await page.getByRole("link", { name: "Files" }).waitFor();
  await shot(page, "narrow-screen", "a narrow screen (390 px)");
  fs.writeFileSync(path.join(out, "README.md"),
    "# Screenshots\n\nMade by `make screenshots` (web/tests/screenshots.mjs) from a fresh instance in Debian's Chromium.\n\n" +
    shots.map((s) => `- ${s}`).join("\n") + "\n");
  console.log(`screenshots: ${shots.length} pages in ${out}`);
} finally {
  await browser.close();
  await inst.stop();
}
