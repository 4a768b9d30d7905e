/**
 * Structured JSON logs, one object a line, as CloudWatch Logs Insights reads them. Keys that could carry
 * secrets are dropped wherever they appear: the CloudFormation ResponseURL is a pre-signed S3 URL that lets
 * anyone answer for the stack.
 */
const SECRET_KEYS = new Set(['ResponseURL', 'responseUrl', 'credentials', 'Credentials', 'SessionToken']);

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
export type LogFields = { [key: string]: unknown };

export class Logger {
  constructor(
    private readonly context: LogFields = {},
    private readonly write: (line: string) => void = (line) => console.log(line),
  ) {}

  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger {
    return new Logger({ ...this.context, ...fields }, this.write);
  }

  debug(message: string, fields: LogFields = {}): void {
    this.log('DEBUG', message, fields);
  }

  info(message: string, fields: LogFields = {}): void {
    this.log('INFO', message, fields);
  }

  warn(message: string, fields: LogFields = {}): void {
    this.log('WARN', message, fields);
  }

  error(message: string, fields: LogFields = {}): void {
    this.log('ERROR', message, fields);
  }

  private log(level: LogLevel, message: string, fields: LogFields): void {
    const entry = { timestamp: new Date().toISOString(), level, message, ...this.context, ...fields };
    this.write(JSON.stringify(entry, (key, value) => (SECRET_KEYS.has(key) ? undefined : value)));
  }
}
