import { readFile } from "node:fs/promises";
import { resolveDatabase } from "../aws/db-secret.js";
import { ConfigError, loadConfig } from "../config.js";
import { openDatabase } from "../db/client.js";
import { MalformedRates } from "../domain/fx-rates.js";
import { loadEcbRates, type RatesStored } from "../services/fx-rates.js";

// `npm run rates -- FILE`: loads an ECB euro reference-rates file (eurofxref-daily.xml,
// eurofxref-hist.xml, or the CSV inside eurofxref.zip / eurofxref-hist.zip) into the rates
// table of DATABASE_URL (or the embedded database), in one transaction. Exit 0 and a summary;
// 1 with every problem of a bad file (nothing stored); 2 for a usage or configuration error.

const USAGE =
  "usage: npm run rates -- FILE   (an ECB eurofxref XML or CSV file, e.g. eurofxref-daily.xml)";

function summary(file: string, s: RatesStored): string {
  const days = s.days === 1 ? `for ${s.newest}` : `for ${s.days} days, ${s.oldest} to ${s.newest}`;
  return `loaded ${s.rates} exchange rate(s) ${days} from ${file} (1 EUR in ${s.currencies.length} currencies: ${s.currencies.join(", ")})`;
}

async function main(args: string[]): Promise<number> {
  const [file, ...rest] = args;
  if (!file || rest.length > 0 || file.startsWith("-")) {
    console.error(USAGE);
    return 2;
  }
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    console.error(`cannot read ${file}: ${(err as Error).message}`);
    return 1;
  }
  const config = loadConfig();
  const handle = await openDatabase({
    ...(await resolveDatabase(config)),
    dataDir: config.dataDir,
  });
  try {
    await handle.migrate();
    console.log(summary(file, await loadEcbRates(handle.db, text)));
    return 0;
  } catch (err) {
    if (!(err instanceof MalformedRates)) throw err;
    console.error(`${file}: ${err.message}; nothing was loaded`);
    for (const i of err.issues) console.error(`  ${i.field}: ${i.message}`);
    return 1;
  } finally {
    await handle.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exitCode = err instanceof ConfigError ? 2 : 1;
  },
);
