import type { HandlerContext } from './context.js';

/** Sends one object as JSON with extra headers (Warning may repeat). */
export function respondObject(ctx: HandlerContext, code: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  const text = JSON.stringify(body);
  ctx.res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  ctx.res.end(text);
}
