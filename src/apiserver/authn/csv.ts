// A strict CSV reader with the behaviour of Go's encoding/csv defaults, which kube-apiserver uses
// for --token-auth-file: comma-separated, RFC 4180 quoting ("" is a literal quote), CRLF or LF
// line ends, blank lines skipped, variable field counts allowed, and a stray quote is an error.

/** Parses CSV text into records of fields; throws on malformed quoting, naming the line. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false; // inside a quoted field
  let wasQuoted = false; // the current field started with a quote
  let line = 1;
  let blank = true; // nothing seen on this line yet

  const endField = (): void => {
    record.push(field);
    field = '';
    wasQuoted = false;
  };
  const endRecord = (): void => {
    if (!blank) {
      endField();
      records.push(record);
    }
    record = [];
    field = '';
    blank = true;
  };

  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
          const next = text[i + 1];
          if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
            throw new Error(`line ${line}: extraneous or missing " in quoted-field`);
          }
        }
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '\r' && text[i + 1] === '\n') continue;
    if (c === '\n') {
      endRecord();
      line++;
      continue;
    }
    blank = false;
    if (c === ',') {
      endField();
    } else if (c === '"') {
      if (field !== '' || wasQuoted) throw new Error(`line ${line}: bare " in non-quoted-field`);
      quoted = true;
      wasQuoted = true;
    } else {
      field += c;
    }
  }
  if (quoted) throw new Error(`line ${line}: extraneous or missing " in quoted-field`);
  endRecord();
  return records;
}
