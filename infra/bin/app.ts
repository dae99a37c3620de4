import { createApp } from "../lib/app.js";

// Settings come from `-c key=value` or cdk.json: see infra/lib/app.ts and profile.ts.
createApp();
