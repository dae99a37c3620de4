import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * Stages the web app as Elastic Beanstalk expects it (Procfile and .ebextensions at the root):
 * the sources, migrations and lock file, no node_modules (the Node.js platform runs npm install
 * from package-lock.json, without dev dependencies) and no tests. CDK zips and uploads the folder.
 */
export function stageWebApp(repoRoot: string): string {
  const out = mkdtempSync(path.join(tmpdir(), "evenly-webapp-"));
  const copy = (from: string, to = from) =>
    cpSync(path.join(repoRoot, from), path.join(out, to), {
      recursive: true,
      filter: (src) => !src.endsWith(".test.ts"),
    });
  for (const item of ["package.json", "package-lock.json", ".npmrc", "tsconfig.json", "src"]) {
    copy(item);
  }
  copy("drizzle");
  copy("infra/eb/Procfile", "Procfile");
  copy("infra/eb/.ebextensions", ".ebextensions");
  return out;
}
