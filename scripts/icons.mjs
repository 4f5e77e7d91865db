#!/usr/bin/env node
// Writes the app's icons into public/: the mark as SVG, PNGs rendered from it by the system
// Chromium, and favicon.ico (an ICO whose images are those PNGs). Rerun after changing the mark:
//   node scripts/icons.mjs
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const EMERALD = '#059669';
const PUBLIC = path.join(process.cwd(), 'public');

// The two arrows of lucide's refresh-ccw (ISC licence), the glyph the sidebar and sign-in page show.
const ARROWS = [
  'M21 12a9 9 0 0 0-9-9 9.75 9.75 0 0 0-6.74 2.74L3 8',
  'M3 3v5h5',
  'M3 12a9 9 0 0 0 9 9 9.75 9.75 0 0 0 6.74-2.74L21 16',
  'M16 16h5v5',
];

/**
 * White arrows on an emerald square. `rounded` for browser tabs and installed apps; square to the
 * edge for iOS and maskable icons, which cut their own shape (the arrows stay in the safe zone).
 */
function mark({ rounded }) {
  const paths = ARROWS.map((d) => `<path d="${d}"/>`).join('');
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">',
    '<title>Catalog Sync Desk</title>',
    `<rect width="64" height="64"${rounded ? ' rx="14"' : ''} fill="${EMERALD}"/>`,
    '<g transform="translate(12 12) scale(1.6667)" fill="none" stroke="#fff" stroke-width="2.5" stroke-linecap="round"',
    ` stroke-linejoin="round">${paths}</g>`,
    '</svg>',
    '',
  ].join('');
}

async function renderPng(page, svg, size) {
  await page.setViewportSize({ width: size, height: size });
  const style = 'margin:0;width:100vw;height:100vh';
  await page.setContent(
    `<body style="${style}"><img style="display:block;width:100%;height:100%" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}"></body>`,
  );
  await page.waitForFunction(() => document.images[0]?.complete);
  return page.screenshot({ omitBackground: true, type: 'png' });
}

/** An ICO file: a directory of entries, each pointing at an embedded PNG (allowed since Windows Vista). */
function ico(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const entry = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, entry);
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1);
    header.writeUInt16LE(1, entry + 4);
    header.writeUInt16LE(32, entry + 6);
    header.writeUInt32LE(png.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.png)]);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const page = await browser.newPage();
  const rounded = mark({ rounded: true });
  const square = mark({ rounded: false });
  writeFileSync(path.join(PUBLIC, 'icon.svg'), rounded);
  const favicons = [];
  for (const size of [16, 32, 48]) favicons.push({ size, png: await renderPng(page, rounded, size) });
  writeFileSync(path.join(PUBLIC, 'favicon.ico'), ico(favicons));
  writeFileSync(path.join(PUBLIC, 'icon-192.png'), await renderPng(page, rounded, 192));
  writeFileSync(path.join(PUBLIC, 'icon-512.png'), await renderPng(page, rounded, 512));
  writeFileSync(path.join(PUBLIC, 'icon-maskable-512.png'), await renderPng(page, square, 512));
  writeFileSync(path.join(PUBLIC, 'apple-touch-icon.png'), await renderPng(page, square, 180));
} finally {
  await browser.close();
}
