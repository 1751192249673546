import { createHash } from "node:crypto";

/**
 * A deterministic avatar for a user id: a 5x5 mirrored pattern in one of a few
 * accessible colours. No external request, nothing about the user but the id.
 */
export function avatarSvg(id: string): string {
  const hash = createHash("sha256").update(id).digest();
  const hue = Math.round((hash[0] / 255) * 360);
  const cells: string[] = [];
  for (let y = 0; y < 5; y++) {
    for (let x = 0; x < 3; x++) {
      if ((hash[1 + y * 3 + x] & 1) === 0) continue;
      cells.push(`<rect x="${x}" y="${y}" width="1" height="1"/>`);
      if (x < 2) cells.push(`<rect x="${4 - x}" y="${y}" width="1" height="1"/>`);
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="-1 -1 7 7" width="40" height="40"><rect x="-1" y="-1" width="7" height="7" fill="hsl(${hue} 30% 92%)"/><g fill="hsl(${hue} 55% 38%)">${cells.join("")}</g></svg>`;
}
