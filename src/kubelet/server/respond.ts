// Answers in the two situations the kubelet API has: a normal HTTP response, or an upgrade request
// refused on the raw socket (kubectl reads the Status from a non-101 answer).
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import { statusFromError } from '../../util/errors.js';

export function sendStatusError(res: ServerResponse, err: unknown): number {
  const st = statusFromError(err);
  if (res.headersSent) {
    res.destroy();
    return st.code;
  }
  const body = Buffer.from(JSON.stringify(st));
  res.writeHead(st.code, { 'Content-Type': 'application/json', 'Content-Length': body.length });
  res.end(body);
  return st.code;
}

export function rejectUpgrade(socket: Duplex, err: unknown): void {
  const st = statusFromError(err);
  const body = Buffer.from(JSON.stringify(st));
  socket.end(
    `HTTP/1.1 ${st.code} ${STATUS_CODES[st.code] ?? 'Error'}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n` + body.toString(),
  );
}
