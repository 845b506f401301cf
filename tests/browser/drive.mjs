// drive.mjs — one browser scenario on the review pages, in Debian's
// chromium driven by playwright-core.  tests/integration/test_browser.py
// prepares the data, runs `node drive.mjs SCENARIO` with CB_URL, CB_ARGS
// (JSON) and CB_SHOTS (a directory for screenshots), then checks the
// database.  Exit 0 when every assertion held; otherwise the first failure
// is printed and the exit status is 1.  Nothing here reaches the network
// beyond the loopback stack.
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";

const URL_ = process.env.CB_URL;
const ARGS = JSON.parse(process.env.CB_ARGS || "{}");
const SHOTS = process.env.CB_SHOTS || "/tmp";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu",
  "--disable-background-networking", "--disable-component-update",
  "--disable-sync", "--no-first-run"];

let browser;
const out = {}; // observations for the Python side

async function context(opts = {}) {
  const ctx = await browser.newContext({
    viewport: { width: 1366, height: 768 }, locale: "es-GT", ...opts });
  ctx.setDefaultTimeout(20000);
  return ctx;
}

// Every page fails the scenario on a script error, a dialog (an XSS
// payload that ran) or a CSP violation.
function watch(page) {
  page.on("pageerror", (e) => { throw new Error("page error: " + e.message); });
  page.on("dialog", async (d) => {
    out.dialogs = (out.dialogs || 0) + 1;
    await d.dismiss();
  });
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text()))
      out.cspViolations = (out.cspViolations || []).concat(m.text());
  });
  return page;
}

async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, name + ".png"), fullPage: true });
}

async function signIn(ctx, user, password) {
  const page = watch(await ctx.newPage());
  await page.goto(URL_ + "/login");
  await page.getByLabel(ARGS.labels?.username || "Usuario").fill(user);
  await page.getByLabel(ARGS.labels?.password || "Contraseña").fill(password);
  await Promise.all([page.waitForURL(/\/review/), page.locator("form[action='/login'] button").click()]);
  return page;
}

function reviewer(ctx, who = ARGS.user) {
  return signIn(ctx, who.name, who.password);
}

// The document does not scroll sideways at this width.
async function fits(page) {
  const [sw, iw] = await page.evaluate(() =>
    [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(sw <= iw + 1, `page is ${sw}px wide in a ${iw}px window`);
}

async function overlay(page, id) {
  const svg = page.locator("figure.receipt svg.page").first();
  await svg.waitFor();
  const words = await page.locator("figure.receipt rect.word").count();
  const fields = await page.locator("figure.receipt rect.field").count();
  assert.ok(words > 5, `only ${words} word boxes`);
  assert.ok(fields >= 1, "no field box");
  // The image under the boxes loaded (SVG <image> has no naturalWidth, so
  // ask the browser's resource timing) and the boxes are drawn.
  const box = await page.locator("figure.receipt rect.field").first().boundingBox();
  assert.ok(box && box.width > 2 && box.height > 2, "field box not drawn");
  const img = await page.locator("figure.receipt svg.page image").first().getAttribute("href");
  const ok = await page.evaluate(async (u) => (await fetch(u)).ok, img);
  assert.ok(ok, "receipt image did not load: " + img);
  out.words = words;
  out.img = img;
  // JavaScript's tools: zoom and hiding the boxes.
  const before = (await svg.boundingBox()).width;
  await page.keyboard.press("+");
  const after = (await svg.boundingBox()).width;
  assert.ok(after > before * 1.1, `zoom did nothing (${before} → ${after})`);
  await page.keyboard.press("0");
  await page.keyboard.press("b");
  assert.equal(await page.locator("figure.receipt rect.word").first().isVisible(), false);
  await page.keyboard.press("b");
  assert.equal(await page.locator("figure.receipt rect.word").first().isVisible(), true);
}

const scenarios = {
  // Sign in, the queue, an item with its overlay on a photo; approve by
  // keyboard; 1366×768 and 768 px wide.
  async approve_keyboard() {
    const ctx = await context();
    const page = await reviewer(ctx);
    await page.goto(URL_ + ARGS.queue);
    await shot(page, "queue");
    await fits(page);
    assert.match(await page.locator("h1").innerText(), /Pagos por revisar/);
    await page.locator(`a[href='/review/${ARGS.id}']`).first().click();
    await page.waitForURL(new RegExp(`/review/${ARGS.id}$`));
    await overlay(page, ARGS.id);
    await shot(page, "item-photo");
    await fits(page);
    await page.setViewportSize({ width: 768, height: 1024 });
    await fits(page);
    await shot(page, "item-photo-tablet");
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.keyboard.press("?");
    assert.equal(await page.locator("#help").getAttribute("open"), "");
    await page.keyboard.press("?");
    await Promise.all([page.waitForURL((u) => !u.pathname.endsWith(`/review/${ARGS.id}`)),
      page.keyboard.press("a")]);
    const notice = await page.locator(".notice.ok").innerText();
    assert.match(notice, new RegExp(`${ARGS.id}: aprobado`));
    out.after = page.url();
    await shot(page, "after-approve");
  },

  // Fill fields from what OCR read: the reference by its candidate button
  // (and Alt+↓ cycles them), the date by clicking a word on the receipt;
  // then correct-and-approve.  The page marks both fields "clicked".
  async pick_candidates() {
    const ctx = await context();
    const page = await reviewer(ctx);
    await page.goto(`${URL_}/review/${ARGS.id}`);
    const ref = page.locator("#in-reference");
    const buttons = page.locator("button.cand[data-for='in-reference']");
    out.candidates = await buttons.count();
    assert.ok(out.candidates >= 2, "reference candidates shown");
    // Each button says its value and how likely it is.
    assert.match(await buttons.first().innerText(), /· [01]\.\d\d$/);
    await ref.focus();
    const before = await ref.inputValue();
    await page.keyboard.press("Alt+ArrowDown");
    const cycled = await ref.inputValue();
    assert.notEqual(cycled, "");
    out.cycled = cycled;
    await page.locator(`button.cand[data-for='in-reference'][data-value='${ARGS.reference}']`).click();
    assert.equal(await ref.inputValue(), ARGS.reference);
    assert.equal(await page.locator("input[name='how-reference']").inputValue(), "clicked");
    // A word on the receipt fills the field last focused; a candidate's
    // box there fills its value as the field wants it.
    const date = page.locator("#in-transactionDate");
    await date.fill("");
    await date.focus();
    await page.locator(`rect.word[data-text='${ARGS.word}']`).first().click({ force: true });
    assert.equal(await date.inputValue(), ARGS.word);
    await page.locator(`rect.cand[data-for='in-transactionDate'][data-value='${ARGS.date}']`)
      .first().click({ force: true });
    assert.equal(await date.inputValue(), ARGS.date);
    assert.equal(await page.locator("input[name='how-transactionDate']").inputValue(), "clicked");
    out.before = before;
    await shot(page, "item-picked");
    await Promise.all([page.waitForURL((u) => u.searchParams.get("done") === String(ARGS.id)),
      page.locator("#correct").click()]);
  },

  // e to edit, type a new amount, correct-and-approve.
  async correct() {
    const ctx = await context();
    const page = await reviewer(ctx);
    await page.goto(`${URL_}/review/${ARGS.id}`);
    await page.keyboard.press("e");
    const focused = await page.evaluate(() => document.activeElement.name);
    assert.equal(focused, "amount");
    await page.keyboard.type(ARGS.amount);
    await page.getByLabel("Referencia").fill(ARGS.reference);
    await shot(page, "item-correcting");
    await Promise.all([page.waitForURL((u) => u.searchParams.get("done") === String(ARGS.id)),
      page.locator("#correct").click()]);
    assert.match(await page.locator(".notice.ok").innerText(), /corregido y aprobado/);
  },

  // r focuses the reason; an empty reason is refused in place; then reject.
  async reject() {
    const ctx = await context();
    const page = await reviewer(ctx);
    await page.goto(`${URL_}/review/${ARGS.id}`);
    await page.keyboard.press("r");
    assert.equal(await page.evaluate(() => document.activeElement.id), "reason");
    // The browser's own check (required) is bypassed to see the server's.
    await page.evaluate(() => document.getElementById("reason").removeAttribute("required"));
    await page.locator("#reason").fill("   ");
    await page.locator("#reject-button").click();
    await page.waitForSelector(".notice.error");
    assert.match(await page.locator("#reject .field-error").innerText(), /motivo/i);
    await shot(page, "item-reject-refused");
    await page.locator("#reason").fill(ARGS.reason);
    await Promise.all([page.waitForURL((u) => u.searchParams.get("done") === String(ARGS.id)),
      page.locator("#reject-button").click()]);
    assert.match(await page.locator(".notice.ok").innerText(), /rechazado/);
  },

  // Skip leaves the item as it was and moves on; j/k walk the queue.
  async skip_and_walk() {
    const ctx = await context();
    const page = await reviewer(ctx);
    await page.goto(`${URL_}/review/${ARGS.first}`);
    await Promise.all([page.waitForURL(new RegExp(`/review/${ARGS.second}$`)),
      page.keyboard.press("j")]);
    await Promise.all([page.waitForURL(new RegExp(`/review/${ARGS.first}$`)),
      page.keyboard.press("k")]);
    await Promise.all([page.waitForURL((u) => u.searchParams.get("decision") === "skipped"),
      page.locator("#skip").click()]);
    out.after = page.url();
  },

  // A PDF: its page drawn as PNG on the server, boxes over it.
  async pdf_overlay() {
    const ctx = await context();
    const page = await reviewer(ctx);
    const png = page.waitForResponse((r) => r.url().includes(`/review/${ARGS.id}/pages/1`));
    await page.goto(`${URL_}/review/${ARGS.id}`);
    const r = await png;
    assert.equal(r.status(), 200);
    assert.equal(r.headers()["content-type"], "image/png");
    await overlay(page, ARGS.id);
    assert.match(out.img, /\/pages\/1$/);
    await shot(page, "item-pdf");
  },

  // Two reviewers: the second is told who has the item; the first one's
  // decision on a page the second already decided is refused.
  async concurrent() {
    const a = await reviewer(await context(), ARGS.user);
    const b = await reviewer(await context(), ARGS.other);
    await a.goto(`${URL_}/review/${ARGS.id}`);
    await b.goto(`${URL_}/review/${ARGS.id}`);
    const claim = await b.locator(".claim").innerText();
    assert.match(claim, new RegExp(`En revisión por\\s+${ARGS.user.name}`));
    await shot(b, "item-claimed");
    // b decides anyway (it was told); a's page is now stale.
    await Promise.all([b.waitForURL((u) => u.searchParams.get("done") === String(ARGS.id)),
      b.locator("#approve").click()]);
    await a.locator("#reason").fill("no coincide");
    await a.locator("#reject-button").click();
    await a.waitForSelector(".notice.error");
    assert.match(await a.locator(".notice.error").innerText(), /cambió/);
    assert.match(await a.locator("h1 .status").innerText(), /validado/);
    assert.equal(await a.locator("#decide").count(), 0, "a decided item offers no decision");
    await shot(a, "item-stale");
  },

  // A form whose token was changed or removed is refused (403).
  async csrf() {
    const ctx = await context();
    const page = await reviewer(ctx);
    await page.goto(`${URL_}/review/${ARGS.id}`);
    await page.evaluate(() => { document.querySelector("#decide input[name=csrf]").value = "forged"; });
    const [r1] = await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"),
      page.locator("#approve").click()]);
    assert.equal(r1.status(), 403);
    await shot(page, "forbidden");
    await page.goto(`${URL_}/review/${ARGS.id}`);
    await page.evaluate(() => document.querySelector("#decide input[name=csrf]").remove());
    const [r2] = await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"),
      page.locator("#approve").click()]);
    assert.equal(r2.status(), 403);
  },

  // Logout ends the session on the server: its cookie is useless after.
  async logout() {
    const ctx = await context();
    const page = await reviewer(ctx);
    const cookies = await ctx.cookies();
    assert.ok(cookies.some((c) => c.name.endsWith("cb_session") && c.httpOnly && c.sameSite === "Lax"));
    await Promise.all([page.waitForURL(/\/login$/), page.locator("form.logout button").click()]);
    const again = await context();
    await again.addCookies(cookies);
    const p2 = watch(await again.newPage());
    await p2.goto(`${URL_}/review`);
    assert.match(p2.url(), /\/login$/);
  },

  // English from Accept-Language; Spanish by the language link.
  async languages() {
    const ctx = await context({ locale: "en-US" });
    const page = watch(await ctx.newPage());
    await page.goto(URL_ + "/login");
    assert.equal(await page.locator("html").getAttribute("lang"), "en");
    await shot(page, "login");
    await page.getByLabel("Username").fill(ARGS.user.name);
    await page.getByLabel("Password").fill(ARGS.user.password);
    await Promise.all([page.waitForURL(/\/review/), page.locator("form[action='/login'] button").click()]);
    assert.match(await page.locator("h1").innerText(), /review/i);
    await page.goto(`${URL_}/review/${ARGS.id}`);
    assert.ok(await page.getByRole("button", { name: "Correct and approve" }).isVisible());
    await shot(page, "item-english");
    await page.getByRole("link", { name: "Español" }).click();
    await page.waitForURL(/lang=es/);
    assert.ok(await page.getByRole("button", { name: "Corregir y aprobar" }).isVisible());
    await page.goto(`${URL_}/payments/${ARGS.id}`);
    assert.match(await page.locator("h2").innerText(), /Historial/);
    await shot(page, "payment-detail");
  },

  // With JavaScript off the forms still decide; the tools stay hidden.
  async no_javascript() {
    const ctx = await context({ javaScriptEnabled: false });
    const page = await reviewer(ctx);
    await page.goto(`${URL_}/review/${ARGS.id}`);
    assert.equal(await page.locator("figure.receipt .tools").isVisible(), false);
    await page.locator("#in-amount").fill(ARGS.amount);
    await Promise.all([page.waitForURL((u) => u.searchParams.get("done") === String(ARGS.id)),
      page.locator("#correct").click()]);
    await page.goto(`${URL_}/review/${ARGS.reject}`);
    await page.locator("#reason").fill("sin JavaScript");
    await Promise.all([page.waitForURL((u) => u.searchParams.get("done") === String(ARGS.reject)),
      page.locator("#reject-button").click()]);
    await shot(page, "no-javascript");
  },

  // A validated payment's bank candidates beside its receipt; match one,
  // then undo it from the same page.
  async bank_side_by_side() {
    const ctx = await context();
    const page = await reviewer(ctx);
    await page.goto(`${URL_}/review/${ARGS.id}`);
    const fig = await page.locator("figure.receipt").boundingBox();
    const table = await page.locator("table.candidates").boundingBox();
    assert.ok(fig && table, "receipt or candidates missing");
    assert.ok(fig.x + fig.width <= table.x + 1,
      `candidates not beside the receipt (${fig.x}+${fig.width} vs ${table.x})`);
    assert.ok(table.y < fig.y + fig.height, "candidates below the receipt");
    out.candidates = await page.locator("table.candidates tbody tr").count();
    await fits(page);
    await shot(page, "bank-candidates");
    await Promise.all([page.waitForURL((u) => u.searchParams.get("done") === String(ARGS.id)),
      page.locator("table.candidates tbody tr").first().getByRole("button").click()]);
    await page.goto(`${URL_}/review/${ARGS.id}`);
    await page.locator("#unmatch-form").waitFor();
    out.matched = await page.locator("#matched-movement").innerText();
    await shot(page, "bank-matched");
    await page.locator("#unmatch-reason").fill("era de otro cliente");
    await Promise.all([page.waitForURL((u) => u.searchParams.get("decision") === "unreconciled"),
      page.locator("#unmatch-button").click()]);
    assert.ok(await page.locator("table.candidates").isVisible(), "candidates not back");
    await shot(page, "bank-unmatched");
  },

  // Payloads in every field that reaches a page stay text.
  async xss() {
    const ctx = await context();
    const page = await reviewer(ctx);
    for (const u of [`/review?customer=${encodeURIComponent(ARGS.customer)}`,
      `/review/${ARGS.id}`, `/payments/${ARGS.id}`]) {
      await page.goto(URL_ + u);
      const injected = await page.evaluate(() =>
        document.querySelectorAll("script:not([src]), img[src='x'], [onerror], [onload], iframe, svg script").length);
      assert.equal(injected, 0, "markup from data on " + u);
      const text = await page.locator("main").innerText();
      assert.ok(text.includes(ARGS.payload), `payload not shown as text on ${u}`);
    }
    assert.ok(!out.dialogs, "a payload ran");
    await shot(page, "xss-detail");
  },

  // The word boxes as drawn: each rect.word's box on the screen, put back
  // into the receipt image's pixels through the image's own box on the
  // screen (so whatever the page does to place them counts).
  async drawn_boxes() {
    const ctx = await context();
    const page = await reviewer(ctx);
    await page.goto(`${URL_}/review/${ARGS.id}`);
    await page.locator("figure.receipt svg.page image").first().waitFor();
    out.boxes = await page.evaluate(() => {
      const svg = document.querySelector("figure.receipt svg.page");
      const vb = svg.viewBox.baseVal;
      const im = svg.querySelector("image").getBoundingClientRect();
      const fx = vb.width / im.width, fy = vb.height / im.height;
      return [...svg.querySelectorAll("rect.word")].map((r) => {
        const b = r.getBoundingClientRect();
        return [r.dataset.text, [(b.left - im.left) * fx, (b.top - im.top) * fy,
          (b.right - im.left) * fx, (b.bottom - im.top) * fy].map(Math.round)];
      });
    });
    await shot(page, "drawn-boxes-" + ARGS.id);
  },
};

async function main() {
  const name = process.argv[2];
  assert.ok(scenarios[name], "no scenario " + name);
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: FLAGS });
  try {
    await scenarios[name]();
    if (out.cspViolations) throw new Error("CSP violations: " + out.cspViolations.join("; "));
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(out));
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
