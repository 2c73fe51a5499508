// The SQLite schema: kine's single log table (one row per revision) minus the columns Skiff does
// not use (lease, old_value: the replaced value is read from the prev_revision row instead of being
// stored twice, which keeps a churned file near the size of its live data).

/** Bumped when the layout changes; a file with another version is refused, never migrated blindly. */
export const SCHEMA_VERSION = 1;

export const CREATE_SCHEMA = `
CREATE TABLE log (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  created INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  value BLOB NOT NULL
);
CREATE INDEX log_name_id ON log (name, id);
CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('schema_version', ${SCHEMA_VERSION}), ('compact_revision', 0);
`;

/** The tables a Skiff store has (sqlite_* internals aside). */
export const TABLES = ['log', 'meta'];
