// End-to-end tests of the HTML runbook in headless Chromium (Debian's `chromium`), driven by
// playwright-core over the DevTools protocol. Pages are opened over file:// (no server, no network);
// Chromium gives file:// pages a working local storage, kept in the fresh profile directory.
//
//   ROLLBOOK_BIN=target/debug/rollbook node tests/browser/run.mjs
//
// Prints one line per test and closes with `N passed, N failed`; exits non-zero on a failure.

import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import assert from "node:assert/strict";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const bin = resolve(root, process.env.ROLLBOOK_BIN || "target/debug/rollbook");
const browserPath = process.env.CHROMIUM || "/usr/bin/chromium";
const work = mkdtempSync(join(tmpdir(), "rollbook-browser-"));

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

/** Renders a spec to an HTML page and returns its path. */
function render(spec, name) {
  const out = join(work, name);
  execFileSync(bin, ["plan", resolve(root, spec), "--format", "html", "-o", out, "--force"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
  return out;
}

/** A fresh browser profile (its own --user-data-dir): local storage persists across reloads. */
async function browser(options = {}) {
  const profile = mkdtempSync(join(work, "profile-"));
  return chromium.launchPersistentContext(profile, {
    executablePath: browserPath,
    headless: true,
    args: ARGS,
    ...options,
  });
}

/** Records what a page did that it should not: network requests, errors, CSP violations. */
function watch(context, page, pageUrl) {
  const seen = { requests: [], errors: [], dialogs: [] };
  context.on("request", (r) => {
    if (r.url() !== pageUrl && !r.url().startsWith("data:")) seen.requests.push(r.url());
  });
  page.on("pageerror", (e) => seen.errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") seen.errors.push(m.text());
  });
  page.on("dialog", (d) => {
    seen.dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  return seen;
}

/** Injected before any page script (outside the page's CSP): collects CSP violations. */
function violationProbe() {
  window.__violations = [];
  document.addEventListener("securitypolicyviolation", (e) => {
    window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
  });
}

const text = (page, sel) => page.locator(sel).textContent();
const seconds = (s) => s.split(":").reduce((acc, x) => acc * 60 + Number(x), 0);

async function checklistSurvivesReload() {
  const file = render("examples/additive-migration-canary.yaml", "canary.html");
  const url = pathToFileURL(file).href;
  const context = await browser();
  try {
    const page = context.pages()[0] || (await context.newPage());
    await page.addInitScript(violationProbe);
    const seen = watch(context, page, url);
    await page.goto(url);

    // The script ran (allowed by its CSP hash) and shows the run bar.
    await page.locator("#runbar").waitFor({ state: "visible", timeout: 10000 });
    const steps = await page.locator("ol.steps > li").count();
    assert.ok(steps >= 2, `expected several steps, got ${steps}`);
    assert.equal(await text(page, "#progress"), `0 / ${steps} steps done`);
    assert.equal(await text(page, "#elapsed"), "0:00");
    assert.match(await page.locator("#step-1").getAttribute("class"), /\bcurrent\b/);

    // Tick step 1: progress counts it, step 2 becomes current, and the clocks run.
    await page.locator("#step-1-done").check();
    assert.equal(await text(page, "#progress"), `1 / ${steps} steps done`);
    assert.match(await page.locator("#step-1").getAttribute("class"), /\bdone\b/);
    assert.match(await page.locator("#step-2").getAttribute("class"), /\bcurrent\b/);
    await page.waitForFunction(() => document.getElementById("elapsed").textContent !== "0:00", null, {
      timeout: 5000,
    });
    await page.waitForFunction(
      () => document.getElementById("step-2-timer").textContent !== "0:00",
      null,
      { timeout: 5000 },
    );
    const before = seconds(await text(page, "#elapsed"));
    assert.ok(before >= 1, `elapsed ${before}s`);

    // A copy button answers (clipboard or selection fallback).
    const copy = page.locator("#step-2 button.copy").first();
    await copy.click();
    await page.waitForFunction((b) => b.textContent !== "Copy", await copy.elementHandle(), {
      timeout: 3000,
    });

    // Reload: the tick, the progress and the running clock survive.
    await page.reload();
    await page.locator("#runbar").waitFor({ state: "visible", timeout: 10000 });
    assert.equal(await page.locator("#step-1-done").isChecked(), true);
    assert.equal(await page.locator("#step-2-done").isChecked(), false);
    assert.equal(await text(page, "#progress"), `1 / ${steps} steps done`);
    assert.match(await page.locator("#step-2").getAttribute("class"), /\bcurrent\b/);
    const after = seconds(await text(page, "#elapsed"));
    assert.ok(after >= before, `elapsed went back from ${before}s to ${after}s`);
    await page.waitForFunction(
      (b) => {
        const t = document.getElementById("elapsed").textContent.split(":");
        return t.reduce((acc, x) => acc * 60 + Number(x), 0) > b;
      },
      after,
      { timeout: 5000 },
    );
    const stored = await page.evaluate(() =>
      Object.keys(localStorage).filter((k) => k.startsWith("rollbook:")),
    );
    assert.equal(stored.length, 1, `local storage keys ${stored}`);
    assert.match(stored[0], /^rollbook:[0-9a-f]{64}$/);

    assert.deepEqual(await page.evaluate(() => window.__violations), [], "CSP violations");
    assert.deepEqual(seen.requests, [], "network requests");
    assert.deepEqual(seen.errors, [], "page errors");
  } finally {
    await context.close();
  }
}

async function injectionPayloadsNeverRun() {
  const file = render("tests/browser/fixtures/injection.yaml", "injection.html");
  const url = pathToFileURL(file).href;
  // With the page's CSP, and without it: escaping alone must keep every payload inert.
  for (const bypassCSP of [false, true]) {
    const context = await browser({ bypassCSP });
    try {
      const page = context.pages()[0] || (await context.newPage());
      const seen = watch(context, page, url);
      await page.goto(url);
      await page.locator("#runbar").waitFor({ state: "visible", timeout: 10000 });
      // Give load-time payloads (onerror, onload, ontoggle) time to fire; handlers that need a
      // user (onmouseover) are caught by the attribute check below.
      await page.waitForTimeout(300);
      const where = bypassCSP ? " (CSP bypassed)" : "";
      assert.equal(await page.evaluate(() => window.__pwned), undefined, `a payload ran${where}`);
      assert.deepEqual(seen.dialogs, [], `dialogs${where}`);
      const found = await page.evaluate(() => ({
        payloadElements: document.querySelectorAll(
          "img, svg, iframe, b, details, math, object, embed, body style, main script",
        ).length,
        scripts: document.scripts.length,
        styles: document.querySelectorAll("style").length,
        handlers: [...document.querySelectorAll("*")].flatMap((e) =>
          [...e.attributes].filter((a) => a.name.startsWith("on")).map((a) => a.name),
        ),
        badLinks: [...document.querySelectorAll("a[href]")]
          .map((a) => a.getAttribute("href"))
          .filter((h) => !h.startsWith("#") && !/^https?:\/\//.test(h)),
        title: document.querySelector("h1").textContent,
      }));
      assert.equal(found.payloadElements, 0, `payload elements${where}`);
      assert.equal(found.scripts, 2, `scripts${where}`);
      assert.equal(found.styles, 1, `styles${where}`);
      assert.deepEqual(found.handlers, [], `event handler attributes${where}`);
      assert.deepEqual(found.badLinks, [], `non-web links${where}`);
      // The payload is shown as text, exactly as written.
      assert.ok(found.title.includes("<script>window.__pwned='name';alert(1)</script>"), found.title);
      assert.deepEqual(seen.requests, [], `network requests${where}`);
      assert.deepEqual(seen.errors, [], `page errors${where}`);
    } finally {
      await context.close();
    }
  }
}

async function longCommandsWrapAndCopyExactly() {
  const spec = "examples/destructive-migration-emails.yaml";
  const file = render(spec, "long.html");
  const url = pathToFileURL(file).href;
  const plan = JSON.parse(
    execFileSync(bin, ["plan", resolve(root, spec), "--format", "json"], { cwd: root, encoding: "utf8" }),
  );
  const commands = plan.procedure.steps.flatMap((s) => [...s.commands, ...s.verify]);
  const longest = Math.max(...commands.map((c) => c.length));
  assert.ok(longest > 100, `expected a long command, longest is ${longest}`);
  // Wider than a phone (its own rule), narrower than the longest command.
  const context = await browser({ viewport: { width: 760, height: 900 } });
  try {
    const page = context.pages()[0] || (await context.newPage());
    await page.goto(url);
    const boxes = await page.evaluate(() =>
      [...document.querySelectorAll(".cmd")].map((cmd) => {
        const pre = cmd.querySelector("pre");
        const button = cmd.querySelector("button.copy").getBoundingClientRect();
        const text = pre.getBoundingClientRect();
        return {
          text: pre.textContent,
          scrolls: pre.scrollWidth > pre.clientWidth + 1,
          overlap: !(button.left >= text.right || button.right <= text.left ||
            button.top >= text.bottom || button.bottom <= text.top),
        };
      }),
    );
    assert.ok(boxes.length > 0, "no commands on the page");
    for (const b of boxes) {
      assert.equal(b.scrolls, false, `scrolls sideways: ${b.text}`);
      assert.equal(b.overlap, false, `the Copy button covers: ${b.text}`);
    }
    // What Copy copies (the pre's text) is each command exactly, wrapped or not.
    const shown = boxes.map((b) => b.text);
    for (const c of commands) {
      assert.ok(shown.includes(c), `not copied exactly: ${c}`);
    }
  } finally {
    await context.close();
  }
}

const tests = [
  ["long commands wrap, the Copy button never covers them, and copy is exact", longCommandsWrapAndCopyExactly],
  ["checklist: tick step 1, progress and timers change and survive a reload", checklistSurvivesReload],
  ["injection: no payload runs or becomes an element, with or without the CSP", injectionPayloadsNeverRun],
];

const started = Date.now();
let passed = 0;
let failed = 0;
for (const [name, fn] of tests) {
  const t0 = Date.now();
  try {
    await fn();
    passed++;
    console.log(`ok - ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name} (${Date.now() - t0} ms)\n  ${String(e && e.stack ? e.stack : e).replace(/\n/g, "\n  ")}`);
  }
}
for (const name of ["canary.html", "injection.html"]) {
  try {
    console.log(`page weight: ${name} ${statSync(join(work, name)).size} bytes`);
  } catch {
    // not rendered: its test already failed
  }
}
rmSync(work, { recursive: true, force: true });
console.log(`browser tests took ${Date.now() - started} ms`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
