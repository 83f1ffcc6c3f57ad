// Opens an entgraph graph.html in Debian's Chromium (driven by playwright-core, no browser
// download) at a fixed window size, never resizing it after load, and prints one JSON object
// on stdout: what the canvas holds, read back with getImageData (through the DevTools
// protocol, so the page's script-hash CSP stays as it is), and the viewer's data-* attributes.
//
//   node probe.mjs URL [--size 1280x800] [--frames N] [--slider STEP] [--click SEL]
//                      [--wait-layout] [--runs N] [--screenshot F]
//
// --frames N     read the canvas N animation frames after the load event (default 2)
// --wait-layout  instead, wait until the viewer says its layout is done (data-layout="done")
// --slider STEP  then set the minimum-weight slider to STEP (an index into its weight steps),
//                fire its input event, wait 2 frames and read the canvas again
// --click SEL    then click the element matching the CSS selector SEL, wait 2 frames and read
//                the canvas again (as "click")
// --runs N       repeat in a fresh page N times (for benches/viewer_first_paint.sh)
// --screenshot F at the end, save a PNG of the window to F (for docs/graph-html.png)
//
// Pixels are counted per frame: "painted" (alpha > 0) and "node" (opaque and within 6 of a
// colour in the legend's swatches: the node colours of the current colouring).
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const url = args.find((a) => /^(file|https?):/.test(a));
if (!url) {
  console.error("usage: node probe.mjs URL [--size WxH] [--frames N] [--slider STEP] [--click SEL] [--wait-layout] [--runs N] [--screenshot F]");
  process.exit(2);
}
const [width, height] = opt("--size", "1280x800").split("x").map(Number);
const frames = Number(opt("--frames", "2"));
const slider = opt("--slider", null);
const click = opt("--click", null);
const waitLayout = args.includes("--wait-layout");
const runs = Number(opt("--runs", "1"));
const screenshot = opt("--screenshot", null);

// Runs in the page: waits `frames` animation frames, then counts the canvas pixels.
async function readCanvas(frames) {
  for (let f = 0; f < frames; f++) await new Promise((r) => requestAnimationFrame(r));
  const canvas = document.getElementById("graph");
  const d = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  const colours = [];
  for (const s of document.querySelectorAll("#legend .swatch")) {
    if (s.offsetParent === null) continue; // hidden: not a colour of the current colouring
    const m = getComputedStyle(s).backgroundColor.match(/\d+/g);
    if (m && m.length >= 3) colours.push(m.slice(0, 3).map(Number));
  }
  let painted = 0;
  let node = 0;
  let hash = 2166136261;
  for (let p = 0; p < d.length; p += 4) {
    hash = Math.imul(hash ^ (d[p] | (d[p + 1] << 8) | (d[p + 2] << 16) | (d[p + 3] << 24)), 16777619) >>> 0;
    if (d[p + 3] === 0) continue;
    painted++;
    if (d[p + 3] !== 255) continue;
    for (const c of colours) {
      if (Math.abs(d[p] - c[0]) <= 6 && Math.abs(d[p + 1] - c[1]) <= 6 && Math.abs(d[p + 2] - c[2]) <= 6) {
        node++;
        break;
      }
    }
  }
  return {
    width: canvas.width,
    height: canvas.height,
    painted,
    node,
    hash: hash.toString(16),
    colours: colours.length,
    attrs: Object.assign({}, document.body.dataset),
  };
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  // The same flags as tests/integration/browser.rs's own Chromium runs.
  args: readFileSync(new URL("chromium-flags.txt", import.meta.url), "utf8").split("\n").filter((l) => l),
});
const results = [];
try {
  for (let r = 0; r < runs; r++) {
    const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(url, { waitUntil: "load", timeout: 60000 });
    if (waitLayout) {
      await page.waitForFunction(() => document.body.dataset.layout === "done", null, { timeout: 120000, polling: 100 });
    }
    const out = { load: await page.evaluate(readCanvas, waitLayout ? 1 : frames), errors };
    if (slider !== null) {
      await page.evaluate((step) => {
        const s = document.getElementById("min-weight");
        s.value = String(step);
        s.dispatchEvent(new Event("input", { bubbles: true }));
      }, Number(slider));
      out.slider = await page.evaluate(readCanvas, 2);
    }
    if (click !== null) {
      await page.click(click);
      out.click = await page.evaluate(readCanvas, 2);
    }
    if (screenshot) await page.screenshot({ path: screenshot });
    results.push(out);
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(runs === 1 ? results[0] : results));
