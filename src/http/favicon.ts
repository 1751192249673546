import type { FastifyInstance } from "fastify";

/** A speech bubble on Parley's blue, as SVG for browsers that take it and as a 32×32 ICO for the rest. */
const SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1f4e8c"/><path d="M7 9h18v11H14l-5 4v-4H7z" fill="#fff"/></svg>`;

const SIZE = 32;
const BLUE = [0x8c, 0x4e, 0x1f, 0xff]; // BGRA
const WHITE = [0xff, 0xff, 0xff, 0xff];

/** The same picture drawn in pixels: (x, y) from the top left. */
function pixel(x: number, y: number): number[] {
  const bubble = x >= 7 && x < 25 && y >= 9 && y < 20;
  const tail = y >= 20 && y < 24 && x >= 9 && x < 14 - Math.max(0, y - 20);
  return bubble || tail ? WHITE : BLUE;
}

/** An ICO holding one 32-bit bitmap (BITMAPINFOHEADER, bottom-up rows, then the AND mask). */
function ico(): Buffer {
  const pixels = Buffer.alloc(SIZE * SIZE * 4);
  for (let row = 0; row < SIZE; row++) {
    for (let x = 0; x < SIZE; x++) Buffer.from(pixel(x, SIZE - 1 - row)).copy(pixels, (row * SIZE + x) * 4);
  }
  const mask = Buffer.alloc((SIZE / 8) * SIZE); // all opaque: alpha carries the shape
  const info = Buffer.alloc(40);
  info.writeUInt32LE(40, 0);
  info.writeInt32LE(SIZE, 4);
  info.writeInt32LE(SIZE * 2, 8); // colour rows plus mask rows
  info.writeUInt16LE(1, 12);
  info.writeUInt16LE(32, 14);
  info.writeUInt32LE(pixels.length + mask.length, 20);
  const image = Buffer.concat([info, pixels, mask]);
  const header = Buffer.alloc(6 + 16);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(1, 4); // one image
  header.writeUInt8(SIZE, 6);
  header.writeUInt8(SIZE, 7);
  header.writeUInt16LE(1, 10);
  header.writeUInt16LE(32, 12);
  header.writeUInt32LE(image.length, 14);
  header.writeUInt32LE(header.length, 18);
  return Buffer.concat([header, image]);
}

const ICO = ico();
const CACHE = "public, max-age=86400";

/** Browsers ask every page's origin for /favicon.ico: answer it rather than log a 404 per page view. */
export function installFavicon(app: FastifyInstance): void {
  app.get("/favicon.ico", { schema: { hide: true } }, (_request, reply) =>
    reply.header("content-type", "image/x-icon").header("cache-control", CACHE).send(ICO),
  );
  app.get("/favicon.svg", { schema: { hide: true } }, (_request, reply) =>
    reply.header("content-type", "image/svg+xml").header("cache-control", CACHE).send(SVG),
  );
}
