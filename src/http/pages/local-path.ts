/** Where a page goes when `next` is missing or refused. */
export const DEFAULT_PAGE = "/app";

/** Printable ASCII without space: anything else is invalid in a Location header or URL. */
const URL_CHARS = /^[\x21-\x7e]+$/;

/** One leading slash, not two (`//host` is another site), no backslash anywhere. */
const LOCAL = (path: string) =>
  path.startsWith("/") && !path.startsWith("//") && !path.includes("\\");

/**
 * The ONE check for a user-supplied path to redirect to (`next`): a local path or the default
 * page. Browsers drop tab/CR/LF and read `\` as `/` in a Location, so `/\t/evil.example` would
 * become `//evil.example` (another site); and a control or non-ASCII character makes the header
 * itself invalid. The percent-decoded form is checked too (`/%2f/evil.example`, `/%5c…`, `/%0a…`),
 * so no server or browser that decodes the path before using it can be led off-site either.
 */
export function localPath(value: unknown, fallback = DEFAULT_PAGE): string {
  if (typeof value !== "string" || value.length > 2048 || !URL_CHARS.test(value)) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return fallback;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
  if (/[\x00-\x1f\x7f]/.test(decoded)) return fallback;
  return LOCAL(value) && LOCAL(decoded) ? value : fallback;
}

/** The log-in page that comes back to `path` afterwards (to the default page if it is not local). */
export function loginUrl(path: string): string {
  const next = localPath(path, "");
  return next ? `/login?next=${encodeURIComponent(next)}` : "/login";
}
