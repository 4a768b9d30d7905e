/** The command's view of its process, injectable so tests run the whole command in-process. */
import { Readable } from 'stream';

export interface CliIo {
  readonly env: { readonly [name: string]: string | undefined };
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly stdin: Readable;
  /** Whether stdin and stderr are terminals: confirmation needs the first, progress is shown only on the second. */
  readonly isTTY: { readonly stdin: boolean; readonly stderr: boolean };
}

/** The first line typed on stdin (undefined at end of input). */
export function readLine(stdin: Readable): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer | string) => {
      buffered += chunk.toString();
      const newline = buffered.indexOf('\n');
      if (newline >= 0) finish(buffered.slice(0, newline));
    };
    const onEnd = () => finish(buffered === '' ? undefined : buffered);
    const finish = (line: string | undefined) => {
      stdin.off('data', onData).off('end', onEnd).off('error', reject);
      stdin.pause();
      resolve(line?.replace(/\r$/, ''));
    };
    stdin.on('data', onData).on('end', onEnd).on('error', reject);
    stdin.resume();
  });
}

/** A progress line on stderr, rewritten in place; nothing when stderr is not a terminal (logs stay clean). */
export function progressReporter(io: CliIo, label: string): { update(done: number, total: number): void; end(): void } {
  if (!io.isTTY.stderr) return { update: () => undefined, end: () => undefined };
  let shown = false;
  return {
    update: (done, total) => {
      shown = true;
      io.stderr.write(`\r${label} ${done}/${total}`);
    },
    end: () => {
      if (shown) io.stderr.write('\r\x1b[K');
    },
  };
}
