import type { Page } from "playwright-core";

/**
 * Browser steps shared by the page tests, written against labels and visible text the way a
 * person would use the pages. Small on purpose: the accounts work swaps `test_actor` for real
 * sign-up without touching these.
 */

export interface ExpenseForm {
  description: string;
  amount: string;
  /** Display name of the payer as listed in "Paid by"; default: you. */
  paidBy?: string;
  split: "EQUAL" | "EXACT" | "PERCENTAGE";
  /** Participants by display name (you included if you share), each with a value unless EQUAL. */
  participants: { name: string; email?: string; value?: string }[];
  date?: string;
}

const SPLIT_LABEL = { EQUAL: "Equally", EXACT: "Exact amounts", PERCENTAGE: "Percentages" };
const exact = (s: string) =>
  new RegExp(`^${s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}( \\(you\\))?$`);

/** Fills the add-expense form (adding people by email when they are not listed) and submits. */
export async function fillExpense(page: Page, e: ExpenseForm): Promise<void> {
  for (const p of e.participants) {
    const listed = await page.getByLabel(exact(p.name), { exact: false }).count();
    if (listed === 0) {
      if (!p.email) throw new Error(`${p.name} is not listed and has no email`);
      await page.getByLabel("Add someone by exact email").fill(p.email);
      await page.getByRole("button", { name: "Add person" }).click();
      await page.getByText(`Added ${p.name}.`).waitFor();
    }
  }
  await page.getByLabel("Description").fill(e.description);
  await page.getByLabel("Amount", { exact: true }).fill(e.amount);
  if (e.date) await page.getByLabel("Date").fill(e.date);
  if (e.paidBy) await page.getByLabel("Paid by", { exact: true }).selectOption({ label: e.paidBy });
  await page.getByLabel(SPLIT_LABEL[e.split]).check();
  const wanted = new Set(e.participants.map((p) => p.name));
  for (const box of await page.locator("input[name=participant]").all()) {
    const label = (await page.locator(`label[for="${await box.getAttribute("id")}"]`).innerText())
      .replace(/ \(you\)$/, "")
      .trim();
    await box.setChecked(wanted.has(label));
  }
  if (e.split !== "EQUAL") {
    for (const p of e.participants) {
      await page.getByLabel(`Share of ${p.name}`, { exact: true }).fill(p.value ?? "");
    }
  }
  await page.locator(".actions button[type=submit]").click();
}

/** Adds an expense through the form and returns the new expense's id (from its detail page). */
export async function addExpense(page: Page, e: ExpenseForm): Promise<number> {
  await page.goto("/app/expenses/new");
  await fillExpense(page, e);
  await page.waitForURL(/\/app\/expenses\/\d+$/);
  return Number(/\/app\/expenses\/(\d+)/.exec(page.url())?.[1]);
}

export interface DashboardState {
  owe: string;
  owed: string;
  rows: { name: string; text: string }[];
}

/** The dashboard's totals and one row per person ("owes you ₹100.00" / "you owe ₹0.25"). */
export async function readDashboard(page: Page, opts: { simplify?: boolean } = {}) {
  await page.goto(opts.simplify ? "/app?simplify=1" : "/app");
  const rows = [];
  for (const li of await page.locator("[data-testid=balances] li").all()) {
    rows.push({
      name: (await li.locator(".name").innerText()).trim(),
      text: (await li.locator(".amount").innerText()).trim(),
    });
  }
  return {
    owe: (await page.getByTestId("total-owe").innerText()).trim(),
    owed: (await page.getByTestId("total-owed").innerText()).trim(),
    rows,
  } satisfies DashboardState;
}

/** From the dashboard, "Settle up" on one person's row and record the prefilled full amount. */
export async function settleUp(page: Page, withName: string): Promise<void> {
  await page.goto("/app");
  await page.getByRole("link", { name: `Settle up with ${withName}` }).click();
  await page.getByRole("button", { name: "Record payment" }).click();
  await page.waitForURL(/\/app$/);
}
