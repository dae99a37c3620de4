import { readFileSync } from "node:fs";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { axeViolations } from "../helpers/axe.js";
import {
  type BrowserApp,
  DESKTOP,
  PHONE,
  SCREENSHOTS,
  startBrowserApp,
} from "../helpers/browser.js";

/**
 * Issue 16 in Chromium: Asha moves a Splitwise group to Evenly through the import wizard — she
 * chooses the file (read into the text box by app.js), says Ravi is her friend Bela and invites
 * Meera, reads the resulting balances in the preview, imports, lands on the group with exactly the
 * file's balances, and downloads the group's CSV. The same steps work without JavaScript by
 * pasting. axe-core on every step, light and dark.
 */
const CSV = readFileSync(
  new URL("../fixtures/interchange/splitwise-inr.csv", import.meta.url),
  "utf8",
);
const NETS = ["is owed ₹479.83", "owes ₹30.16", "owes ₹449.67"];

let b: BrowserApp;
let asha: number;
let bela: number;
const contexts: BrowserContext[] = [];
beforeAll(async () => {
  b = await startBrowserApp();
  await b.t.db.reset();
  asha = await b.t.user("Asha");
  bela = await b.t.user("Bela");
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await b?.close();
});

const pageOf = async (userId: number, javaScriptEnabled = true) => {
  const context = await b.contextFor(userId, { javaScriptEnabled });
  contexts.push(context);
  return context.newPage();
};
const click = async (page: Page, name: string, role: "button" | "link" = "button") =>
  Promise.all([
    page.waitForNavigation(),
    page.getByRole(role, { name, exact: true }).first().click(),
  ]);
const shot = async (page: Page, name: string) => {
  for (const [size, viewport] of [
    ["desktop", DESKTOP],
    ["phone", PHONE],
  ] as const) {
    await page.setViewportSize(viewport);
    await page.screenshot({
      path: path.join(SCREENSHOTS, `import-${name}-${size}.png`),
      fullPage: true,
    });
  }
  await page.setViewportSize(DESKTOP);
};
/** axe on the page as it is, light and dark. */
const a11y = async (page: Page, step: string) => {
  const found: { step: string; scheme: string; violations: unknown[] }[] = [];
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const violations = await axeViolations(page);
    if (violations.length > 0) found.push({ step, scheme, violations });
  }
  await page.emulateMedia({ colorScheme: "light" });
  return found;
};
/** Who is who: Asha is me, Ravi is Bela, Meera is invited by email. */
async function mapPeople(page: Page) {
  await page.getByLabel("Who is Asha?").selectOption({ label: `You (${await nameOf(asha)})` });
  await page.getByLabel("Who is Ravi?").selectOption(String(bela));
  await page.getByLabel("Who is Meera?").selectOption("invite");
  await page.getByLabel("Their email: Meera").fill("meera@example.com");
}
const nameOf = async (id: number) =>
  (await b.t.call("GET", `/users/${id}`, undefined, { as: id })).body.name as string;

describe("importing a Splitwise group, in Chromium", () => {
  test("choose the file → who is who → preview → import → the group; then download its CSV", async () => {
    const page = await pageOf(asha);
    const issues: unknown[] = [];
    await page.goto("/app/groups");
    await click(page, "Import a group", "link");
    expect(new URL(page.url()).pathname).toBe("/app/groups/import");
    // With JavaScript the file picker shows, and the chosen file lands in the text box.
    await page.getByLabel("Choose the file").setInputFiles({
      name: "goa.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(CSV),
    });
    await expect.poll(() => page.getByLabel("The file's text").inputValue()).toBe(CSV);
    expect(await page.getByRole("radio", { name: /Splitwise CSV/ }).isChecked()).toBe(true);
    await page.getByLabel(/Group name/).fill("Goa");
    issues.push(...(await a11y(page, "upload")));
    await shot(page, "upload");
    await click(page, "Next: who is who");

    // The invite fields show only for "invite".
    expect(await page.getByLabel("Their email: Ravi").isVisible()).toBe(false);
    await mapPeople(page);
    expect(await page.getByLabel("Their email: Meera").isVisible()).toBe(true);
    issues.push(...(await a11y(page, "people")));
    await shot(page, "people");
    await click(page, "Next: preview");

    expect(new URL(page.url()).pathname).toBe("/app/groups/import/preview");
    expect(await page.locator("[data-testid=import-nets] [data-net]").allInnerTexts()).toEqual(
      NETS,
    );
    expect(await page.getByTestId("import-members").innerText()).toContain("meera@example.com");
    issues.push(...(await a11y(page, "preview")));
    await shot(page, "preview");
    await click(page, "Import");

    expect(page.url()).toMatch(/\/app\/groups\/\d+$/);
    const groupId = Number(page.url().split("/").at(-1));
    expect(await page.locator("p.flash").innerText()).toMatch(/^Group imported/);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Goa");
    const nets = await page.locator("[data-testid=group-members] [data-net]").allInnerTexts();
    expect(nets.sort()).toEqual([...NETS].sort());
    await shot(page, "group");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download CSV of Goa" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`evenly-group-${groupId}-goa.csv`);
    const file = readFileSync((await download.path()) as string, "utf8");
    const lines = file.trim().split("\n");
    expect(lines[0]).toMatch(/^Date,Description,Category,Cost,Currency,Asha \d+,Bela \d+,Meera$/);
    expect(lines.at(-1)).toMatch(/,Total balance,.*,INR,479\.83,-30\.16,-449\.67$/);
    expect(issues).toEqual([]);
  });

  test("without JavaScript: paste the text, import it anyway, map, and the preview shows the same balances", async () => {
    const page = await pageOf(asha, false);
    await page.goto("/app/groups/import");
    expect(await page.getByLabel("Choose the file").isVisible()).toBe(false);
    await page.getByLabel("The file's text").fill(CSV);
    await click(page, "Next: who is who");
    // Imported once already (the test above): the page says so and offers to import it anyway.
    expect(await page.locator("#error-summary").innerText()).toContain("was imported before");
    await page.getByRole("checkbox", { name: "Import it anyway" }).check();
    await click(page, "Next: who is who");
    // Without the script every invite field shows; Ravi left unmapped comes back with a message.
    expect(await page.getByLabel("Their email: Ravi").isVisible()).toBe(true);
    await mapPeople(page);
    await page.getByLabel("Who is Ravi?").selectOption("");
    await click(page, "Next: preview");
    expect(await page.locator("#error-summary").innerText()).toContain(
      "Ravi: choose who they are, or invite them.",
    );
    expect(await page.getByLabel("Their email: Meera").inputValue()).toBe("meera@example.com");
    await page.getByLabel("Who is Ravi?").selectOption(String(bela));
    await click(page, "Next: preview");
    expect(await page.locator("[data-testid=import-nets] [data-net]").allInnerTexts()).toEqual(
      NETS,
    );
  });

  test("the refusals are accessible too: the duplicate file and an unmapped person (axe, light and dark)", async () => {
    const page = await pageOf(asha);
    await page.goto("/app/groups/import");
    await page.getByLabel("The file's text").fill(CSV);
    await click(page, "Next: who is who");
    const found = await a11y(page, "duplicate");
    await shot(page, "duplicate");
    await page.getByRole("checkbox", { name: "Import it anyway" }).check();
    await click(page, "Next: who is who");
    await click(page, "Next: preview");
    expect(await page.locator("#error-summary").innerText()).toContain("Asha: choose who they are");
    found.push(...(await a11y(page, "unmapped")));
    await shot(page, "unmapped");
    expect(found).toEqual([]);
  });
});
