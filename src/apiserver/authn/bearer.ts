// Reading `Authorization: Bearer <token>` the way k8s.io/apiserver's bearertoken authenticator
// does: the scheme is case-insensitive, exactly one space-separated token, and anything else
// (Basic, an empty token) is not a bearer credential at all.
import type { IncomingMessage } from 'node:http';

/** The bearer token of a request, or null when it carries none. */
export function bearerToken(req: IncomingMessage): string | null {
  const auth = req.headers.authorization?.trim();
  if (!auth) return null;
  const parts = auth.split(' ');
  if (parts.length !== 2 || parts[0]!.toLowerCase() !== 'bearer' || parts[1] === '') return null;
  return parts[1]!;
}
