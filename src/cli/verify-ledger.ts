import { loadConfig } from "../config.js";
import { openDatabase } from "../db/client.js";
import { verifyLedger } from "../services/ledger.js";

// `npm run verify-ledger`: recomputes balances from the ledger, per currency; exits 1 with a report (JSON on
// stdout, one line per problem on stderr) on drift or on an expense that does not add up.
const config = loadConfig();
const handle = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
try {
  const report = await verifyLedger(handle.db);
  console.log(JSON.stringify(report, null, 2));
  // The report is for machines; one line per problem for the operator.
  for (const e of report.badExpenses) console.error(`expense ${e.id}: ${e.reason}`);
  for (const d of report.drift)
    console.error(
      `${d.groupId === undefined ? "" : `group ${d.groupId} `}pair (${d.userA}, ${d.userB}) in ${d.currency}: stored ${d.stored}, the ledger implies ${d.expected} (minor units)`,
    );
  if (report.netSum !== 0)
    console.error(`nets do not sum to 0 in every currency (off by ${report.netSum} minor units)`);
  process.exitCode = report.ok ? 0 : 1;
} finally {
  await handle.close();
}
