// Writes js/min/: each of the widgets' browser files (js/*.js, js/*.css) as dlwidgets sends it, the shorter
// of esbuild's minified copy and the file less its comments, indentation and blank lines (a file written
// short by hand, such as widget_stub.js: esbuild adds an export statement). dlwidgets reads js/min/ only;
// js/min/sources.json holds the sha256 of the file each copy was made from, which tests/test_js_types.py
// compares with the file as it is.
//   npm run minify                after editing a browser file
//   npm run minify -- --check     exits 1 if a copy is not what this script makes of its file now
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { transformSync } from "esbuild";

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
 * What dlwidgets sends of the browser file `name` whose text is `source`: the shorter of esbuild's copy
 * and the stripped file.
 * @param {string} name
 * @param {string} source
 */
export function sent(name, source) {
  const css = name.endsWith(".css");
  const { code } = transformSync(source, {
    loader: css ? "css" : "js",
    format: css ? undefined : "esm",
    target: "es2022",
    minify: true,
    charset: "utf8",
    legalComments: "none",
  });
  const stripped = css ? stripCss(source) : stripJs(source);
  return stripped.length < code.length ? stripped : code;
}

function main() {
  const here = new URL("./", import.meta.url);
  const out = new URL("min/", here);
  const check = process.argv.includes("--check");
  const names = readdirSync(here).filter((name) => /\.(js|css)$/.test(name)).sort();
  /** @type {Record<string, string>} */
  const sources = {};
  const wrong = [];
  for (const name of names) {
    const source = readFileSync(new URL(name, here));
    const text = sent(name, source.toString("utf8"));
    sources[name] = createHash("sha256").update(source).digest("hex");
    if (!check) {
      mkdirSync(out, { recursive: true });
      writeFileSync(new URL(name, out), text);
    } else if (!existsSync(new URL(name, out)) || readFileSync(new URL(name, out), "utf8") !== text) {
      wrong.push(name);
    }
  }
  if (!check) {
    writeFileSync(new URL("sources.json", out), JSON.stringify(sources, null, 1) + "\n");
  } else if (wrong.length) {
    console.error(`not what js/minify.mjs makes of their file now: ${wrong.join(", ")}; run npm run minify`);
    process.exit(1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
