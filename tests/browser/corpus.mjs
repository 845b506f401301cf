// corpus.mjs — renders the layout corpus (vouchers.py) in Debian's chromium
// driven by playwright-core: each job's HTML becomes NNNN-clean.png (a
// screenshot at the phone's or the desktop's pixel ratio) and, where such a
// voucher exists as one, NNNN-textpdf.pdf (chromium's print, with a text
// layer), and NNNN-words.tsv: every word's box on that PNG, in its pixels
// ("x0 y0 x1 y1 word" a line), which `corpus-gen --degrade` carries onto
// the photo it makes so that word boxes drawn on a photo can be checked.
// Photos and scans are made from the PNG by `corpus-gen --degrade`.
//   node tests/browser/corpus.mjs OUTDIR        (reads OUTDIR/jobs.jsonl)
// Nothing is fetched: every page is self-contained HTML with local fonts.
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";

const dir = process.argv[2];
const jobs = fs.readFileSync(path.join(dir, "jobs.jsonl"), "utf8")
  .split("\n").filter(Boolean).map((l) => JSON.parse(l));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu",
    "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run"],
});
const pages = {};

// Each word of the page's text with the box its glyphs take, in screenshot
// pixels (CSS pixels × the device scale).
function wordBoxes(scale) {
  const lines = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    for (const m of n.data.matchAll(/\S+/g)) {
      const r = document.createRange();
      r.setStart(n, m.index);
      r.setEnd(n, m.index + m[0].length);
      const b = r.getBoundingClientRect();
      if (b.width < 1 || b.height < 1)
        continue;
      const x0 = Math.round((b.left + window.scrollX) * scale);
      const y0 = Math.round((b.top + window.scrollY) * scale);
      const x1 = Math.round((b.right + window.scrollX) * scale);
      const y1 = Math.round((b.bottom + window.scrollY) * scale);
      lines.push(`${x0} ${y0} ${x1} ${y1} ${m[0]}\n`);
    }
  }
  return lines.join("");
}
async function pageFor(width, scale) {
  const key = width + "x" + scale;
  if (!pages[key]) {
    const ctx = await browser.newContext({
      viewport: { width, height: 600 }, deviceScaleFactor: scale,
      javaScriptEnabled: false, offline: true });
    pages[key] = await ctx.newPage();
  }
  return pages[key];
}
for (const j of jobs) {
  const png = path.join(dir, j.id + "-clean.png");
  const pdf = path.join(dir, j.id + "-textpdf.pdf");
  const tsv = path.join(dir, j.id + "-words.tsv");
  if (fs.existsSync(png) && fs.existsSync(tsv) &&
      (!j.conditions.includes("textpdf") || fs.existsSync(pdf)))
    continue;
  // Phones screenshot at 2–3×; desktops at 1–1.5×.
  const scale = j.width <= 420 ? 2 + (parseInt(j.id, 10) % 2) * 0.5 : 1 + (parseInt(j.id, 10) % 2) * 0.5;
  const p = await pageFor(j.width, scale);
  await p.setContent(j.html, { waitUntil: "load" });
  await p.evaluate(() => document.fonts.ready);
  await p.screenshot({ path: png, fullPage: true });
  fs.writeFileSync(tsv, await p.evaluate(wordBoxes, scale));
  if (j.conditions.includes("textpdf")) {
    const h = await p.evaluate(() => document.documentElement.scrollHeight);
    await p.pdf({ path: pdf, width: j.width + "px", height: (h + 40) + "px",
      printBackground: true, margin: { top: "20px", bottom: "20px", left: "20px", right: "20px" } });
  }
}
await browser.close();
