import { isCurrencyCode } from "../../domain/currency.js";

/**
 * The currency select on the pages: the common codes first (what Evenly's people mostly travel
 * with), then every other code Intl knows, by code. A plain <select>: accessible, no JS needed.
 */
const COMMON = [
  "INR",
  "USD",
  "EUR",
  "GBP",
  "JPY",
  "AED",
  "SGD",
  "AUD",
  "CAD",
  "CHF",
  "THB",
  "LKR",
  "NPR",
];

let options: { code: string; label: string; common: boolean }[] | null = null;

/** Every option once, labelled "USD — US Dollar" (names from Intl, read once). */
export function currencyOptions(): { code: string; label: string; common: boolean }[] {
  if (options) return options;
  const names = new Intl.DisplayNames(["en"], { type: "currency" });
  const common = COMMON.filter(isCurrencyCode);
  const rest = Intl.supportedValuesOf("currency").filter((c) => !common.includes(c));
  options = [...common, ...rest].map((code, i) => ({
    code,
    label: `${code} — ${names.of(code) ?? code}`,
    common: i < common.length,
  }));
  return options;
}

/** The code as posted, upper-cased; "" when none was chosen (the service's default applies). */
export const currencyOfForm = (text: string): string => text.trim().toUpperCase();
