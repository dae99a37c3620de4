import { loadConfig } from "../config.js";
import { openDatabase } from "../db/client.js";
import { verifyLedger } from "../services/ledger.js";

// `npm run verify-ledger`: recomputes balances from the ledger; exits 1 with a report on drift.
const config = loadConfig();
const handle = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
try {
  const report = await verifyLedger(handle.db);
  console.log(JSON.stringify(report, null, 2));
  process.exitCode = report.ok ? 0 : 1;
} finally {
  await handle.close();
}
