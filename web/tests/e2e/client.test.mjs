// The client's main paths in a real browser: records (masked restricted fields, create, edit,
// delete), files with progress, grants to the provider, the tenant's audit trail verified in the
// browser; and the walls: another tenant's pages, an ended session.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Instance, newPage, openBrowser, signIn } from "./harness.mjs";

describe("client", () => {
  let inst;
  let browser;
  let acme;
  let globex;

  before(async () => {
    inst = await Instance.start();
    const admin = await inst.token("admin");
    acme = await inst.addTenant(admin, "Acme");
    globex = await inst.addTenant(admin, "Globex");
    await inst.addUser(admin, "acme-admin", "client_admin", acme);
    await inst.addUser(admin, "acme-user", "client_user", acme);
    await inst.addUser(admin, "globex-admin", "client_admin", globex);
    await inst.addUser(admin, "sam", "service");
    await inst.addUser(admin, "officer", "security_officer");
    const qualified = await inst.api("PATCH", `/api/v1/users/${inst.accounts.sam.id}`, {
      token: await inst.token("officer"),
      body: { qualified: true },
    });
    assert.equal(qualified.status, 200, qualified.text);
    const token = await inst.token("acme-admin");
    const declared = await inst.api("PUT", `/api/v1/tenants/${acme}/collections/customers`, {
      token,
      body: { classification: "confidential", lookup_fields: ["email"], restricted_fields: ["national_id"] },
    });
    assert.equal(declared.status, 200, declared.text);
    for (const [id, name] of [["c1", "Ada Byron"], ["c2", "Alan Turing"]]) {
      const r = await inst.api("PUT", `/api/v1/tenants/${acme}/collections/customers/records/${id}`, {
        token,
        body: { name, email: `${id}@example.net`, national_id: `ID-${id}` },
      });
      assert.ok(r.status === 201 || r.status === 200, r.text);
    }
    await inst.addUser(admin, "globex-user", "client_user", globex);
    browser = await openBrowser();
  });

  after(async () => {
    await browser?.close();
    await inst?.stop();
  });

  test("a client user reads records with restricted fields masked, and creates, edits and deletes one", async () => {
    const page = await newPage(browser, inst);
    await signIn(page, inst, "acme-user");
    await page.getByRole("heading", { name: "Records" }).waitFor();
    const home = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Records" });
    await page.waitForFunction(() => location.hash.endsWith("/collections"));
    assert.equal(await home.getAttribute("aria-current"), "page");
    await page.getByRole("link", { name: "customers" }).click();
    await page.getByRole("link", { name: "c1" }).click();
    const json = page.getByTestId("record-json");
    await json.getByText(/"national_id": "\*\*\*"/).waitFor();
    assert.ok(!(await json.innerText()).includes("ID-c1"));
    // Editing keeps a masked field's stored value ("***" means unchanged).
    await page.getByRole("button", { name: "Edit" }).click();
    await page.getByText(/keep their stored value/).waitFor();
    const edited = (await page.getByLabel("Content (JSON)").inputValue()).replace("Ada Byron", "Ada King");
    await page.getByLabel("Content (JSON)").fill(edited);
    await page.getByRole("button", { name: /Save as version 2/ }).click();
    await page.getByText("Saved as version 2.").waitFor();
    await json.getByText(/"name": "Ada King"/).waitFor();

    await page.getByRole("link", { name: "← customers" }).click();
    const form = page.getByRole("form", { name: "New record" });
    await form.getByLabel(/^Id/).fill("c9");
    await form.getByLabel("Content (JSON)").fill('{"name": "Grace Hopper", "email": "grace@example.net"');
    await form.getByRole("button", { name: "Create" }).click();
    await form.getByRole("alert").getByText(/not valid JSON/).waitFor();
    await form.getByLabel("Content (JSON)").fill('{"name": "Grace Hopper", "email": "grace@example.net"}');
    await form.getByRole("button", { name: "Create" }).click();
    await page.getByRole("heading", { name: "c9" }).waitFor();
    await page.getByRole("button", { name: "Edit" }).click();
    await page.getByLabel("Content (JSON)").fill('{"name": "Grace B. Hopper", "email": "grace@example.net"}');
    await page.getByRole("button", { name: /Save as version 2/ }).click();
    await page.getByText("Saved as version 2.").waitFor();
    page.once("dialog", (d) => d.accept());
    await page.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("heading", { name: "customers" }).waitFor();
    assert.equal(await page.getByRole("link", { name: "c9" }).count(), 0);
    assert.deepEqual(page.problems, []);
  });

  test("files upload and download with progress", async () => {
    const page = await newPage(browser, inst);
    await signIn(page, inst, "acme-user");
    await page.getByRole("link", { name: "Files" }).click();
    const content = Buffer.alloc(5 * 1024 * 1024 + 17, 3);
    await page.getByLabel("File", { exact: true }).setInputFiles({ name: "contract 2026.pdf", mimeType: "application/pdf", buffer: content });
    assert.equal(await page.getByLabel("Store as").inputValue(), "contract-2026.pdf");
    await page.getByRole("button", { name: "Upload" }).click();
    await page.getByText(/Stored contract-2026\.pdf \(version 1/).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "contract-2026.pdf" }).click(),
    ]);
    const fs = await import("node:fs");
    assert.ok(fs.readFileSync(await download.path()).equals(content));
    assert.deepEqual(page.problems, []);
  });

  test("the client admin grants support access, sees it used in the audit trail, verifies the trail and revokes", async () => {
    const page = await newPage(browser, inst);
    await signIn(page, inst, "acme-admin");
    await page.getByRole("link", { name: "Provider access" }).click();
    const form = page.getByRole("form", { name: "Grant access" });
    await form.getByLabel(/^To/).fill("sam");
    await form.getByLabel(/Reason/).fill("Ticket 4711: import fails");
    await form.getByRole("button", { name: "Grant" }).click();
    await page.getByText(/Granted Read access to usr_/).waitFor();

    // The provider's service user reads a record under the grant in its own browser.
    const support = await newPage(browser, inst);
    await signIn(support, inst, "sam");
    await support.getByRole("link", { name: "Client access" }).click();
    await support.getByRole("table", { name: "Access granted to you" }).getByRole("link", { name: "All collections" }).click();
    await support.getByRole("link", { name: "customers" }).click();
    await support.getByRole("link", { name: "c2" }).click();
    await support.getByTestId("record-json").getByText(/"national_id": "\*\*\*"/).waitFor();
    assert.deepEqual(support.problems, []);

    await page.getByRole("link", { name: "Audit trail" }).click();
    const table = page.getByRole("table", { name: "Audit events" });
    await table.getByText("grants.create").first().waitFor();
    await page.getByLabel("Only the provider's people").check();
    await table.getByText("records.read").first().waitFor();
    await table.getByText("service").first().waitFor();
    await page.getByLabel("Only the provider's people").uncheck();
    await page.getByRole("button", { name: "Verify" }).click();
    await page.getByTestId("verdict").getByText(/events proven in the signed log/).waitFor();
    assert.ok((await table.locator(".badge.proven").count()) > 0);

    // The client admin may see restricted fields; the edit above kept the stored one.
    await page.getByRole("link", { name: "Records" }).click();
    await page.getByRole("link", { name: "customers" }).click();
    await page.getByRole("link", { name: "c1" }).click();
    await page.getByRole("button", { name: /Show restricted fields/ }).click();
    await page.getByTestId("record-json").getByText(/"national_id": "ID-c1"/).waitFor();

    await page.getByRole("link", { name: "Provider access" }).click();
    page.once("dialog", (d) => d.accept());
    await page.getByRole("button", { name: "Revoke" }).click();
    await page.getByText("Revoked.").waitFor();
    assert.deepEqual(page.problems, []);
  });

  test("verification in the browser catches an event altered on its way from the server", async () => {
    const page = await newPage(browser, inst);
    await signIn(page, inst, "acme-admin");
    await page.route("**/api/v1/audit/events?**", async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      const victim = body.events.filter((e) => e.outcome === "allowed" && !e.pruned).at(-1);
      if (victim) victim.action = "records.read.harmless";
      await route.fulfill({ response, json: body });
    });
    await page.getByRole("link", { name: "Audit trail" }).click();
    await page.getByRole("table", { name: "Audit events" }).getByText("records.read.harmless").waitFor();
    await page.getByRole("button", { name: "Verify" }).click();
    await page.getByTestId("verdict").getByText(/1 of \d+ events do not match the signed log/).waitFor();
    await page.getByRole("table", { name: "Audit events" }).locator(".badge.leaf_mismatch").waitFor();
  });

  test("verification in the browser catches a proof that misses the signed root, and a forged checkpoint", async () => {
    const page = await newPage(browser, inst);
    await signIn(page, inst, "acme-admin");
    await page.route("**/api/v1/audit/proofs?**", async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      const victim = body.proofs.find((p) => p.inclusion.length > 0);
      victim.inclusion[0] = victim.inclusion[0].replace(/^./, (c) => (c === "0" ? "1" : "0"));
      await route.fulfill({ response, json: body });
    });
    await page.getByRole("link", { name: "Audit trail" }).click();
    await page.getByRole("table", { name: "Audit events" }).getByText("grants.create").first().waitFor();
    await page.getByRole("button", { name: "Verify" }).click();
    await page.getByTestId("verdict").getByText(/1 of \d+ events do not match the signed log/).waitFor();
    await page.getByRole("table", { name: "Audit events" }).locator(".badge.proof_failed").waitFor();

    // A checkpoint whose root was swapped no longer matches its signature.
    await page.unroute("**/api/v1/audit/proofs?**");
    await page.route("**/api/v1/audit/checkpoint**", async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      body.checkpoint.root_hash = "0".repeat(64);
      body.checkpoint.signed_note = body.checkpoint.signed_note.replace(/\n[0-9a-f]{64}\n/, `\n${"0".repeat(64)}\n`);
      await route.fulfill({ response, json: body });
    });
    await page.getByRole("button", { name: "Verify" }).click();
    await page.getByTestId("verdict").getByText(/signature does not verify/).waitFor();
  });

  test("a client user cannot reach another tenant's pages", async () => {
    const page = await newPage(browser, inst);
    await signIn(page, inst, "acme-user");
    for (const view of ["collections", "collections/customers", "files", "grants", "audit"]) {
      await page.goto(`${inst.url}/#/tenants/${globex}/${view}`);
      await page.getByRole("alert").first().waitFor();
      const text = await page.getByRole("alert").first().innerText();
      assert.match(text, /not allowed|permission|denied|forbidden/i, `${view}: ${text}`);
    }
    // And the navigation only ever offers its own tenant.
    const links = await page.getByRole("navigation", { name: "Main" }).getByRole("link").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    assert.ok(links.every((h) => !h.includes(globex)), links.join(" "));
    assert.ok(links.some((h) => h.includes(acme)), links.join(" "));
  });

  test("an ended session returns to the sign-in page with the reason", async () => {
    const page = await newPage(browser, inst);
    await signIn(page, inst, "acme-user");
    await page.context().clearCookies();
    await page.getByRole("link", { name: "Files" }).click();
    await page.getByText(/Your session has ended/).waitFor();
    await page.getByLabel("Username").waitFor();
    assert.deepEqual(page.problems, []);
  });

  test("keyboard only, and a narrow screen", async () => {
    const page = await newPage(browser, inst, { width: 390, height: 844 });
    const a = inst.accounts["globex-admin"];
    const { freshTotp } = await import("./harness.mjs");
    await page.getByLabel("Username").focus();
    await page.keyboard.type(a.username);
    await page.keyboard.press("Tab");
    await page.keyboard.type(a.password);
    await page.keyboard.press("Tab");
    await page.keyboard.type(await freshTotp(a.secret));
    await page.keyboard.press("Enter");
    await page.getByTestId("who").waitFor({ state: "attached" });
    // The navigation is reachable and usable with the keyboard.
    await page.getByRole("link", { name: "Files" }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Files" }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), "main");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
    assert.deepEqual(page.problems, []);
  });
});
