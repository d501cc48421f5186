// Writes js/min/: each of the widgets' browser files (js/*.js, js/*.css) minified by esbuild, which
// dlwidgets sends in place of the file as long as the file is unchanged (js/min/sources.json holds the
// sha256 of the file each copy was made from; a changed file is sent without its comments instead).
//   npm run minify                after editing a browser file
//   npm run minify -- --check     exits 1 if a copy that is still current is not esbuild's output
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { transformSync } from "esbuild";

const here = new URL("./", import.meta.url);
const out = new URL("min/", here);
const manifest = new URL("sources.json", out);
const check = process.argv.includes("--check");
const made = existsSync(manifest) ? JSON.parse(readFileSync(manifest, "utf8")) : {};
const names = readdirSync(here).filter((name) => /\.(js|css)$/.test(name)).sort();

/** @type {Record<string, string>} */
const sources = {};
const wrong = [];
const stale = [];
for (const name of names) {
  const source = readFileSync(new URL(name, here));
  const css = name.endsWith(".css");
  const { code } = transformSync(source.toString("utf8"), {
    loader: css ? "css" : "js",
    format: css ? undefined : "esm",
    target: "es2022",
    minify: true,
    charset: "utf8",
    legalComments: "none",
  });
  sources[name] = createHash("sha256").update(source).digest("hex");
  if (!check) {
    mkdirSync(out, { recursive: true });
    writeFileSync(new URL(name, out), code);
  } else if (made[name] !== sources[name]) {
    stale.push(name);
  } else if (readFileSync(new URL(name, out), "utf8") !== code) {
    wrong.push(name);
  }
}
if (!check) {
  writeFileSync(manifest, JSON.stringify(sources, null, 1) + "\n");
} else {
  if (stale.length) console.log(`not current (sent without comments instead): ${stale.join(", ")}`);
  if (wrong.length) {
    console.error(`not esbuild's output of their file: ${wrong.join(", ")}; run npm run minify`);
    process.exit(1);
  }
}
