import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { ROOT } from "../../src/paths.js";
import { artifact } from "./harness.js";

/** The two widths the issue names: a laptop, and a phone held upright. */
export const WIDTHS = [1280, 390] as const;

/**
 * Screenshots of a state at both widths. They go to test-artifacts/ on every run and, with
 * UPDATE_SCREENSHOTS=1, to docs/screenshots/ (committed) as well, so a plain test run leaves
 * the checkout clean.
 */
export async function shoot(
  page: Page,
  name: string,
  options: {
    clip?: Locator;
    height?: number;
    /** Room below the clipped element, for a menu it opened. */
    below?: number;
    /** Keep only the top of a tall element. */
    maxHeight?: number;
  } = {},
): Promise<void> {
  const original = page.viewportSize();
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: options.height ?? 800 });
    const file = `${name}-${width}.png`;
    const targets = [artifact(file)];
    if (process.env.UPDATE_SCREENSHOTS === "1") {
      mkdirSync(join(ROOT, "docs", "screenshots"), { recursive: true });
      targets.push(join(ROOT, "docs", "screenshots", file));
    }
    for (const path of targets) {
      const box = (options.below || options.maxHeight) && options.clip ? await options.clip.boundingBox() : null;
      const height = box ? Math.min(box.height + (options.below ?? 0), options.maxHeight ?? Infinity) : 0;
      if (box) {
        // A full-page shot takes the clip in page coordinates; the box is in the viewport's.
        const scroll = await page.evaluate(() => ({ x: scrollX, y: scrollY }));
        await page.screenshot({ path, clip: { x: box.x + scroll.x, y: box.y + scroll.y, width: box.width, height }, fullPage: true });
      }
      else if (options.clip) await options.clip.screenshot({ path });
      else await page.screenshot({ path });
    }
  }
  if (original) await page.setViewportSize(original);
}
