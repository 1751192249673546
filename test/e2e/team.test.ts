import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildAdmin } from "../../scripts/build-admin.mjs";
import { createUser } from "../../src/accounts/service.js";
import { siteRolesOf } from "../../src/accounts/store.js";
import { seriousViolations } from "./axe.js";
import { browserSkip, parleyAndBrowser } from "./harness.js";
import { shoot } from "./screens.js";

const skip = browserSkip();
const PASSWORD = "correct horse battery staple";

describe("the desk's Team page", { skip }, () => {
  const suite = parleyAndBrowser();

  it("lets an admin find a reader, make them a moderator of two sections, widen them to the site and take the role back", async () => {
    await buildAdmin();
    const { app, base } = suite.parley;
    await createUser(app.deps, { email: "tess@example.com", password: PASSWORD, displayName: "Tess Teamlead", role: "admin" });
    const morgan = await createUser(app.deps, { email: "morgan@example.com", password: PASSWORD, displayName: "Morgan Mills" });
    await createUser(app.deps, { email: "moira@example.com", password: PASSWORD, displayName: "Moira Mills" });
    // axe is injected as an inline script, which the desk's CSP rightly refuses; only this context bypasses it.
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const desk = await context.newPage();
    await desk.goto(`${base}/admin/team`);
    await desk.getByLabel("E-mail").fill("tess@example.com");
    await desk.getByLabel("Password").fill(PASSWORD);
    await desk.getByLabel("Password").press("Enter");
    const table = desk.getByRole("table", { name: /People who run or moderate/ });
    await table.getByRole("rowheader", { name: "Tess Teamlead" }).waitFor();
    assert.match(await table.getByRole("row", { name: /Tess Teamlead/ }).innerText(), /Admin\s+Every site\s+Set with the command line/);

    await desk.getByLabel("E-mail address or the start of a name").fill("mo");
    await desk.getByRole("button", { name: "Find" }).click();
    await desk.getByRole("radio", { name: /Moira Mills/ }).waitFor();
    await desk.getByRole("radio", { name: /Morgan Mills/ }).check();
    await desk.getByLabel(/^Only these sections/).fill("Politics, opinion");
    await desk.getByRole("button", { name: "Give the role" }).click();
    await desk.getByRole("status").getByText("Morgan Mills is now a moderator of Default site for Politics, opinion.").waitFor();
    const row = table.getByRole("row", { name: /Morgan Mills/ });
    await row.getByText("Sections: politics, opinion").waitFor();
    assert.match(await row.innerText(), /Moderator\s+Sections: politics, opinion/);
    assert.deepEqual(await siteRolesOf(app.deps.store.db, morgan.id), [{ siteId: "default", role: "moderator", sections: ["politics", "opinion"] }]);
    assert.deepEqual(await seriousViolations(desk), []);
    await shoot(desk, "desk-team", { clip: desk.locator("main") });

    await row.getByRole("button", { name: "Change sections of Morgan Mills" }).click();
    await row.getByLabel(/^Sections Morgan Mills moderates/).fill("");
    await row.getByRole("button", { name: "Save sections" }).click();
    await desk.getByRole("status").getByText("Morgan Mills is now a moderator of Default site. The change is recorded in the audit log.").waitFor();
    await row.getByText("All of Default site").waitFor();

    await row.getByRole("button", { name: "Take Morgan Mills's role away" }).click();
    await desk.getByRole("status").getByText("Morgan Mills no longer has a role on Default site.", { exact: false }).waitFor();
    assert.equal(await table.getByRole("row", { name: /Morgan Mills/ }).count(), 0);
    assert.deepEqual(await siteRolesOf(app.deps.store.db, morgan.id), []);

    await desk.getByLabel("E-mail address or the start of a name").fill("nobody@example.com");
    await desk.getByRole("button", { name: "Find" }).click();
    await desk.getByText("Nobody with that e-mail address or name has an account yet.").waitFor();
    await context.close();
  });
});
