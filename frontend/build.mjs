// Bundles src/main.ts (and the CSS it imports) into the files Django serves:
//   apps/classroom/static/classroom/classroom.js and classroom.css
// `node build.mjs` writes them; `node build.mjs --check` only compares a fresh build with the
// committed files and exits 1 when they differ (the bundle is committed so `make run` needs no Node).
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import * as esbuild from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const outfile = path.resolve(here, "../apps/classroom/static/classroom/classroom.js");
const check = process.argv.includes("--check");

const result = await esbuild.build({
  entryPoints: [path.join(here, "src/main.ts")],
  outfile,
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2020",
  legalComments: "none",
  charset: "utf8",
  write: !check,
  logLevel: check ? "warning" : "info",
});

if (check) {
  const stale = result.outputFiles.filter((file) => {
    try {
      return !readFileSync(file.path).equals(Buffer.from(file.contents));
    } catch {
      return true;
    }
  });
  for (const file of stale) console.error(`out of date: ${path.relative(process.cwd(), file.path)}`);
  if (stale.length) {
    console.error("the committed bundle differs from the sources: run `npm run build --prefix frontend`");
    process.exit(1);
  }
  console.log("the committed bundle is up to date");
}
