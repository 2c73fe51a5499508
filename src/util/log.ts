// Structured logging: one JSON object per line on stderr, with levels and klog-style verbosity
// (`--v=N`: info lines logged with v(N) appear only when N <= the configured verbosity).

export type Level = 'debug' | 'info' | 'warn' | 'error';
export type Fields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  /** A logger whose info lines are emitted only at verbosity >= level. */
  v(level: number): Logger;
  /** A logger that adds fields (e.g. component) to every line. */
  with(fields: Fields): Logger;
}

export interface LogConfig {
  verbosity: number;
  /** Where lines go; stderr by default. */
  write: (line: string) => void;
  /** Quiet drops everything below warn (tests, CLI output). */
  quiet: boolean;
}

const config: LogConfig = {
  verbosity: Number(process.env.SKIFF_V ?? 0) || 0,
  write: (line) => process.stderr.write(line),
  quiet: process.env.SKIFF_LOG === 'quiet',
};

/** Changes process-wide logging settings (the CLI's --v flag). */
export function configureLogging(c: Partial<LogConfig>): void {
  Object.assign(config, c);
}

function errorFields(fields: Fields | undefined): Fields | undefined {
  if (!fields) return fields;
  let out: Fields | undefined;
  for (const [k, v] of Object.entries(fields)) {
    if (v instanceof Error) {
      out ??= { ...fields };
      out[k] = v.message;
    }
  }
  return out ?? fields;
}

class JsonLogger implements Logger {
  constructor(private readonly base: Fields, private readonly level: number) {}

  private emit(lvl: Level, msg: string, fields?: Fields): void {
    if (config.quiet && (lvl === 'debug' || lvl === 'info')) return;
    if ((lvl === 'info' || lvl === 'debug') && this.level > config.verbosity) return;
    if (lvl === 'debug' && config.verbosity < 4) return;
    const line = { ts: new Date().toISOString(), level: lvl, msg, ...this.base, ...errorFields(fields) };
    config.write(JSON.stringify(line) + '\n');
  }

  debug(msg: string, fields?: Fields): void { this.emit('debug', msg, fields); }
  info(msg: string, fields?: Fields): void { this.emit('info', msg, fields); }
  warn(msg: string, fields?: Fields): void { this.emit('warn', msg, fields); }
  error(msg: string, fields?: Fields): void { this.emit('error', msg, fields); }
  v(level: number): Logger { return new JsonLogger(this.base, level); }
  with(fields: Fields): Logger { return new JsonLogger({ ...this.base, ...fields }, this.level); }
}

/** The root logger for a component. */
export function logger(component: string): Logger {
  return new JsonLogger({ component }, 0);
}
