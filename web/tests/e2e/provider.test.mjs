// The provider's main paths in a real browser: the security officer's dashboard, coverage,
// exports, controls and evidence, audit events and alerts; the admin's users and tenants, and a
// new user's enrolment at first sign-in.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Instance, freshTotp, kPassphrase, newPage, openBrowser, signIn } from "./harness.mjs";

describe("provider", () => {
  let inst;
  let browser;

  before(async () => {
    inst = await Instance.start();
    const admin = await inst.token("admin");
    await inst.addUser(admin, "officer", "security_officer");
    await inst.addUser(admin, "auditor", "auditor");
    const sara = await inst.addUser(admin, "sara", "staff");
    await inst.addUser(admin, "victim", "staff");
    // Failed sign-ins for one account raise a signin_failures alert for the officer to handle.
    for (let i = 0; i < 6; ++i) {
      await inst.api("POST", "/api/v1/auth/login", { body: { username: "victim", password: "wrong wrong wrong wrong" } });
    }
    // A control the staff member owns, due for review in a week.
    const soon = new Date(Date.now() + 7 * 86400e3).toISOString().slice(0, 10);
    const created = await inst.api("POST", "/api/v1/controls", {
      token: await inst.token("officer"),
      body: { id: "HR-DESK-01", title: "Clean desk checks", owner_id: sara.id, status: "implemented", next_review: soon },
    });
    assert.equal(created.status, 201, created.text);
    browser = await openBrowser();
  });

  after(async () => {
    await browser?.close();
    await inst?.stop();
  });

  test("the security officer signs in with a TOTP code and sees coverage, due reviews and alerts", async () => {
    const page = await newPage(browser, inst);
    await signIn(page, inst, "officer");
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
    const coverage = page.getByRole("region", { name: "Coverage per framework" });
    await coverage.getByRole("img", { name: /NIST Cybersecurity Framework.*Met \d+/ }).first().waitFor();
    assert.ok((await coverage.getByRole("img").count()) >= 5, "a chart per shipped framework");
    await page.getByRole("region", { name: "Open alerts" }).getByText(/failed sign-ins|sign-in/i).first().waitFor();
    await page.getByRole("region", { name: "Backups" }).getByText("Last verified restore").waitFor();
    assert.deepEqual(page.problems, []);
  });

  test("coverage drills down to the reasons, goes back to a date, and the SoA downloads", async () => {
    const page = await newPage(browser, inst);
    await signIn(page, inst, "officer");
    await page.getByRole("link", { name: "Frameworks" }).click();
    await page.getByRole("link", { name: /ISO\/IEC 27001:2022/ }).click();
    const table = page.getByRole("table", { name: "Requirements and their coverage" });
    await table.waitFor();
    // A requirement met through a control: its reasons name the control.
    const reasons = table.locator("details").first();
    await reasons.locator("summary").click();
    await reasons.getByRole("link", { name: /^SR-/ }).first().waitFor();
    // As of a date before anything existed, nothing is met.
    await page.getByLabel(/As of/).fill("2020-01-01");
    await page.getByRole("button", { name: "Show" }).click();
    await page.getByRole("heading", { name: /Coverage as of/ }).waitFor();
    await page.waitForFunction(() => location.hash.includes("as_of=2020-01-01"));
    await page.getByRole("img", { name: /Coverage: Met 0,/ }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Statement of Applicability (XLSX)" }).click(),
    ]);
    const file = await download.path();
    assert.ok(file);
    assert.match(download.suggestedFilename(), /\.xlsx$|soa/);
    assert.deepEqual(page.problems, []);
  });

  test("the officer edits a control, records a review and uploads file evidence with progress", async () => {
    const page = await newPage(browser, inst);
    await signIn(page, inst, "officer");
    await page.getByRole("link", { name: "Controls" }).click();
    await page.getByRole("link", { name: "SR-CRY-01" }).click();
    await page.getByRole("heading", { name: /SR-CRY-01/ }).waitFor();
    await page.getByRole("button", { name: "Record a review today" }).click();
    await page.getByText(/Review recorded \(version \d+\)/).waitFor();

    const form = page.getByRole("form", { name: "Add evidence" });
    await form.getByLabel("Title").fill("Key rotation run book");
    await form.getByLabel("File", { exact: true }).setInputFiles({
      name: "runbook.pdf",
      mimeType: "application/pdf",
      buffer: Buffer.alloc(3 * 1024 * 1024, 7),
    });
    await form.getByRole("button", { name: "Add evidence" }).click();
    await page.getByText(/Added ev_.*SHA-256/).waitFor();
    await page.getByRole("button", { name: "Key rotation run book" }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Key rotation run book" }).click(),
    ]);
    const fs = await import("node:fs");
    assert.equal(fs.statSync(await download.path()).size, 3 * 1024 * 1024);

    // A bad input is refused with the server's words.
    await form.getByLabel("Kind").selectOption("link");
    await form.getByLabel("Title").fill("Policy page");
    await form.getByLabel("URL").fill("https://example.net/policy");
    await form.getByLabel("Period from").fill("2026-12-01");
    await form.getByLabel("Period to").fill("2026-01-01");
    await form.getByRole("button", { name: "Add evidence" }).click();
    await form.getByRole("alert").getByText(/period/i).waitFor();
    assert.deepEqual(page.problems, []);
  });

  test("audit events filter, and alerts are acknowledged with a note", async () => {
    const page = await newPage(browser, inst);
    await signIn(page, inst, "officer");
    await page.getByRole("link", { name: "Audit events" }).click();
    const events = page.getByRole("table", { name: "Audit events" });
    await events.getByText("auth.login").first().waitFor();
    await page.getByLabel("Outcome").selectOption("denied");
    // The server filters: wait for the reloaded page, then check every row.
    await page.waitForFunction(() => {
      const cells = [...document.querySelectorAll('table[aria-label="Audit events"] tbody td:nth-child(5)')];
      return cells.length > 0 && cells.every((c) => c.textContent?.trim() === "denied");
    });
    const outcomes = await events.locator("tbody td:nth-child(5)").allInnerTexts();
    assert.ok(outcomes.length > 0 && outcomes.every((o) => o.trim() === "denied"), outcomes.join(","));
    await page.getByRole("button", { name: "Verify" }).click();
    await page.getByTestId("verdict").getByText(/events proven in the signed log/).waitFor();

    await page.getByRole("link", { name: "Alerts" }).click();
    const alert = page.getByRole("article").first();
    await alert.waitFor();
    await alert.getByLabel(/Note/).fill("Victim mistyped; confirmed by phone");
    await alert.getByRole("button", { name: "Acknowledge" }).click();
    await page.getByText(/^Acknowledged:/).waitFor();
    await page.getByLabel("Show").selectOption("acknowledged");
    await page.getByText("Victim mistyped; confirmed by phone", { exact: false }).waitFor();
    assert.deepEqual(page.problems, []);
  });

  test("the auditor reads the program, the trail and the alerts, and is offered no change", async () => {
    const page = await newPage(browser, inst);
    await signIn(page, inst, "auditor");
    await page.getByRole("region", { name: "Coverage per framework" }).getByRole("img").first().waitFor();
    await page.getByRole("link", { name: "Controls" }).click();
    await page.getByRole("link", { name: "HR-DESK-01" }).waitFor();
    assert.equal(await page.getByRole("button", { name: "New control" }).count(), 0);
    // The library's 83 controls and ours come 50 at a time.
    const rows = page.getByRole("table").locator("tbody tr");
    assert.equal(await rows.count(), 50);
    await page.getByRole("button", { name: "Show more" }).click();
    await rows.nth(83).waitFor(); // The button hides while the page loads: wait for the rows.
    assert.equal(await rows.count(), 84);
    assert.equal(await page.getByRole("button", { name: "Show more" }).count(), 0);
    await page.getByRole("link", { name: "HR-DESK-01" }).click();
    await page.getByRole("heading", { name: /Clean desk checks/ }).waitFor();
    assert.equal(await page.getByRole("button", { name: "Edit" }).count(), 0);
    assert.equal(await page.getByRole("form", { name: "Add evidence" }).count(), 0);
    await page.getByRole("link", { name: "Audit events" }).click();
    await page.getByLabel("Action starts with").fill("controls.");
    await page.getByRole("button", { name: "Load" }).click();
    await page.getByRole("table", { name: "Audit events" }).getByText("controls.create").first().waitFor();
    await page.getByRole("link", { name: "Alerts" }).click();
    await page.getByLabel("Show").selectOption("");
    await page.getByRole("article").first().waitFor();
    assert.equal(await page.getByRole("button", { name: "Acknowledge" }).count(), 0);
    assert.deepEqual(page.problems, []);
  });

  test("a staff member sees the controls they own, and no other", async () => {
    const page = await newPage(browser, inst);
    await signIn(page, inst, "sara");
    const due = page.getByRole("region", { name: "Controls due for review" });
    await due.getByRole("link", { name: "HR-DESK-01" }).waitFor();
    assert.equal(await page.getByRole("link", { name: "Audit events" }).count(), 0);
    await page.getByRole("link", { name: "Controls" }).click();
    await page.getByRole("link", { name: "HR-DESK-01" }).waitFor();
    assert.equal(await page.getByRole("table").locator("tbody tr").count(), 1);
    await page.goto(`${inst.url}/#/controls/SR-CRY-01`);
    await page.getByRole("alert").getByText(/SR-CRY-01/).waitFor();
    assert.deepEqual(page.problems, []);
  });

  test("the admin adds a tenant and a user, who enrols at first sign-in and sets a passphrase", async () => {
    const page = await newPage(browser, inst);
    await signIn(page, inst, "admin");
    await page.getByRole("link", { name: "Tenants" }).click();
    await page.getByLabel("New tenant's name").fill("Initech");
    await page.getByRole("button", { name: "Create tenant" }).click();
    await page.getByText(/Created Initech/).waitFor();

    await page.getByRole("link", { name: "Users" }).click();
    const form = page.getByRole("form", { name: "New user" });
    await form.getByLabel("Username").fill("new-staff");
    await form.getByLabel("Role").selectOption("staff");
    await form.getByLabel(/Initial passphrase/).fill("a temporary passphrase for day one");
    await form.getByRole("button", { name: "Create user" }).click();
    await page.getByText(/sets up the second factor and a new passphrase at first sign-in/).waitFor();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByText("You have signed out.").waitFor();

    // First sign-in: passphrase only, then the QR code and the recovery codes.
    await page.getByLabel("Username").fill("new-staff");
    await page.getByLabel("Passphrase").fill("a temporary passphrase for day one");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("img", { name: /QR code/ }).waitFor();
    assert.equal(await page.getByTestId("recovery-codes").locator("li").count(), 10);
    const secret = (await page.getByTestId("totp-secret").innerText()).trim();
    await page.getByLabel(/^New passphrase \(/).fill(kPassphrase);
    await page.getByLabel("New passphrase again").fill(kPassphrase);
    await page.getByLabel("Code from your authenticator app").fill("000000");
    await page.getByRole("button", { name: "Finish and sign in" }).click();
    await page.getByRole("alert").getByText(/recovery codes/).waitFor(); // Not confirmed yet.
    await page.getByLabel("I have kept the recovery codes").check();
    await page.getByLabel("Code from your authenticator app").fill(await freshTotp(secret));
    await page.getByRole("button", { name: "Finish and sign in" }).click();
    await page.getByTestId("who").getByText("new-staff").waitFor();
    assert.deepEqual(page.problems, []);
  });
});
