import type { KubeObject } from '../../api/types.js';
import type { HandlerContext } from './context.js';

/** Sends one object as JSON with extra headers (Warning may repeat). */
export function respondObject(ctx: HandlerContext, code: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  respondText(ctx, code, JSON.stringify(body), headers);
}

/** Sends an object the request's store just wrote (see Store.outputText). */
export function respondWritten(ctx: HandlerContext, code: number, obj: KubeObject, headers: Record<string, string | string[]> = {}): void {
  respondText(ctx, code, ctx.store.outputText(obj), headers);
}

function respondText(ctx: HandlerContext, code: number, text: string, headers: Record<string, string | string[]>): void {
  ctx.res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  ctx.res.end(text);
}
