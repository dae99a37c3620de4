/**
 * What a browser without JavaScript posts for a page's form, read from its HTML: every named
 * input (checkboxes and radios only when checked; no buttons), and each select's selected option
 * (else its first). Enough for the pages' own markup (attributes in double quotes); "Save
 * unchanged" tests post exactly what the form shows.
 */
export type FormValues = Record<string, string[]>;

const unescapeHtml = (text: string) =>
  text
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");

function attributes(tag: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of tag.matchAll(/\s([a-zA-Z_:-][\w:.-]*)(?:="([^"]*)")?/g))
    found.set(m[1] as string, unescapeHtml(m[2] ?? ""));
  return found;
}

/** The fields of the first `<form>` whose opening tag contains `marker`. */
export function formValues(html: string, marker = "<form"): FormValues {
  const start = html.indexOf(marker);
  if (start < 0) throw new Error(`no form with ${marker}`);
  const body = html.slice(start, html.indexOf("</form>", start));
  const values: FormValues = {};
  const add = (name: string, value: string) => {
    values[name] = [...(values[name] ?? []), value];
  };
  for (const m of body.matchAll(/<input\b[^>]*>/g)) {
    const a = attributes(m[0]);
    const name = a.get("name");
    const type = a.get("type") ?? "text";
    if (!name || a.has("disabled") || type === "submit" || type === "button") continue;
    if ((type === "checkbox" || type === "radio") && !a.has("checked")) continue;
    add(name, a.get("value") ?? (type === "checkbox" || type === "radio" ? "on" : ""));
  }
  for (const m of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const name = attributes(m[1] as string).get("name");
    if (!name) continue;
    const options = [...(m[2] as string).matchAll(/<option\b([^>]*)>/g)].map((o) =>
      attributes(o[1] as string),
    );
    const chosen = options.find((o) => o.has("selected")) ?? options[0];
    if (chosen) add(name, chosen.get("value") ?? "");
  }
  return values;
}

/** One field's only value ("" when absent). */
export const fieldOf = (v: FormValues, name: string): string => v[name]?.[0] ?? "";
