// Writes js/min/: each widget's browser files (js/*.js, js/*.css) as dlwidgets sends them, one text each.
// The page imports a widget's module from a blob URL, where an import of another file cannot be resolved,
// so each is esbuild's minified bundle of the file with the files it imports.
//
// Which files are a widget's: a file of js/ that no other file of js/ imports gets a copy (the modules the
// kernel names, annotator_stage.js, widget_stub.js, ..., and their stylesheets); a file another imports
// (the stage's parts, stage_*.js) is only in that file's copy. So a new part needs no list to join here:
// importing it is enough.
//
// A file importing nothing is sent as the shorter of esbuild's copy and the file less its comments,
// indentation and blank lines (a file written short by hand, such as widget_stub.js: esbuild adds an export
// statement); a file importing others is always the bundle (stripped, it would still import them).
// dlwidgets reads js/min/ only; js/min/sources.json holds, for each copy, the sha256 of every file it was
// made from, which tests/test_js_types.py compares with the files as they are.
//   npm run minify                after editing a browser file
//   npm run minify -- --check     exits 1 if a copy is not what this script makes of its files now
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

/**
 * `text` without indentation, blank lines and whole-line comments (`// ...` and `/* ... *\/` starting a
 * line); the lines of a template literal spanning lines are kept as they are. Comments after code stay:
 * telling them from "//" in a string or a regex needs a parser.
 * @param {string} text
 */
export function stripJs(text) {
  /** @type {string[]} */
  const kept = [];
  let inComment = false;
  let inTemplate = false;
  for (const line of text.split(/\r?\n/)) {
    let code = line.trim();
    if (inTemplate) {
      code = line;
    } else if (inComment) {
      inComment = !code.includes("*/");
      code = inComment ? "" : code.split("*/").slice(1).join("*/").trim();
    } else if (code.startsWith("/*")) {
      inComment = !code.slice(2).includes("*/");
      code = inComment ? "" : code.slice(2).split("*/").slice(1).join("*/").trim();
    } else if (code.startsWith("//")) {
      code = "";
    }
    if (inTemplate || code) kept.push(code);
    const ticks = (code.match(/`/g) ?? []).length - (code.match(/\\`/g) ?? []).length;
    if (ticks % 2 === 1) inTemplate = !inTemplate; // a template literal opens or ends
  }
  return kept.join("\n") + "\n";
}

/**
 * `text` without comments, indentation and blank lines (no stylesheet here holds "/*" in a string).
 * @param {string} text
 */
export function stripCss(text) {
  const lines = text.replace(/\/\*[\s\S]*?\*\//g, "").split(/\r?\n/);
  return lines.map((line) => line.trim()).filter(Boolean).join("\n") + "\n";
}

/**
 * What dlwidgets sends of the browser file `name` whose text is `source` (its imports are read from
 * `folder`), and the files of `folder` it imports, directly or not: esbuild's minified bundle, or for a
 * file importing nothing, the stripped file if shorter.
 * @param {string} name
 * @param {string} source
 * @param {string} [folder]  a path; js/ by default
 * @returns {{text: string, imports: string[]}}
 */
export function sent(name, source, folder = fileURLToPath(new URL("./", import.meta.url))) {
  const css = name.endsWith(".css");
  const loader = css ? "css" : "js";
  const { outputFiles, metafile } = buildSync({
    stdin: { contents: source, loader, resolveDir: folder, sourcefile: name },
    absWorkingDir: folder,
    bundle: true,
    write: false,
    metafile: true,
    format: css ? undefined : "esm",
    target: "es2022",
    minify: true,
    charset: "utf8",
    legalComments: "none",
  });
  const code = outputFiles[0].text;
  const imports = Object.keys(metafile.inputs).filter((input) => input !== name).sort();
  if (imports.length) return { text: code, imports };
  const stripped = css ? stripCss(source) : stripJs(source);
  return { text: stripped.length < code.length ? stripped : code, imports };
}

function main() {
  const here = new URL("./", import.meta.url);
  const out = new URL("min/", here);
  const check = process.argv.includes("--check");
  const names = readdirSync(here).filter((name) => /\.(js|css)$/.test(name)).sort();
  const files = new Map(names.map((name) => [name, readFileSync(new URL(name, here))]));
  const copies = new Map(names.map((name) => [name, sent(name, files.get(name).toString("utf8"))]));
  const imported = new Set([...copies.values()].flatMap(({ imports }) => imports));
  const sha256 = (/** @type {string} */ name) => createHash("sha256").update(files.get(name) ?? "").digest("hex");
  /** @type {Record<string, Record<string, string>>} */
  const sources = {};
  const wrong = [];
  for (const [name, { text, imports }] of copies) {
    if (imported.has(name)) continue; // a part of the copies of the files importing it
    sources[name] = Object.fromEntries([name, ...imports].map((source) => [source, sha256(source)]));
    if (!check) {
      mkdirSync(out, { recursive: true });
      writeFileSync(new URL(name, out), text);
    } else if (!existsSync(new URL(name, out)) || readFileSync(new URL(name, out), "utf8") !== text) {
      wrong.push(name);
    }
  }
  // A copy of a file that is gone, or now a part of another's: the kernel would never read it.
  const left = existsSync(out) ? readdirSync(out).filter((name) => /\.(js|css)$/.test(name) && !sources[name]) : [];
  if (!check) {
    left.forEach((name) => rmSync(new URL(name, out)));
    writeFileSync(new URL("sources.json", out), JSON.stringify(sources, null, 1) + "\n");
  } else if (wrong.length || left.length) {
    const copies = [...wrong, ...left.map((name) => `${name} (no file of js/ sent as it)`)];
    console.error(`not what js/minify.mjs makes of their files now: ${copies.join(", ")}; run npm run minify`);
    process.exit(1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
