// Static bearer tokens from a CSV file, as kube-apiserver's --token-auth-file:
//   token,user,uid[,"group1,group2"]
// Read once at start-up (upstream does not reload it either). Rows with fewer than three columns
// make the whole file invalid; rows with an empty token are skipped; a repeated token keeps the
// last row — all as upstream's tokenfile.NewCSV.
import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { bearerToken } from './bearer.js';
import { parseCsv } from './csv.js';
import type { Authenticator, UserInfo } from './types.js';

/** Bearer tokens listed in a kube-apiserver style token CSV; unknown tokens get no opinion. */
export class TokenFileAuthenticator implements Authenticator {
  constructor(private readonly tokens: ReadonlyMap<string, UserInfo>) {}

  /** Reads and parses a token file; throws if it cannot be read or is malformed. */
  static async load(path: string): Promise<TokenFileAuthenticator> {
    return TokenFileAuthenticator.fromCsv(await readFile(path, 'utf8'), path);
  }

  /** Parses token CSV text; `source` names it in error messages. */
  static fromCsv(text: string, source = 'token file'): TokenFileAuthenticator {
    const tokens = new Map<string, UserInfo>();
    let rows: string[][];
    try {
      rows = parseCsv(text);
    } catch (err) {
      throw new Error(`${source}: ${(err as Error).message}`);
    }
    for (const row of rows) {
      if (row.length < 3) {
        throw new Error(`${source} must have at least 3 columns (token, user name, user uid), found ${row.length}`);
      }
      const [token, username, uid, groups] = row as [string, string, string, string | undefined];
      if (token === '') continue;
      const user: UserInfo = { username, groups: groups === undefined ? [] : groups.split(',') };
      if (uid !== '') user.uid = uid;
      tokens.set(token, user);
    }
    return new TokenFileAuthenticator(tokens);
  }

  authenticate(req: IncomingMessage): UserInfo | null {
    const token = bearerToken(req);
    const user = token === null ? undefined : this.tokens.get(token);
    return user ? { ...user, groups: [...user.groups] } : null;
  }
}
