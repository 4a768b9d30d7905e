/** Progress goes to stderr, and only when stderr is a terminal: piped output and logs stay clean. */
import { Readable } from 'stream';
import { CliIo, progressReporter } from '../../cli/io';

const io = (stderrIsTTY: boolean, written: string[]): CliIo => ({
  env: {},
  stdout: { write: () => true },
  stderr: { write: (text: string) => written.push(text) },
  stdin: Readable.from([]),
  isTTY: { stdin: false, stderr: stderrIsTTY },
});

test('on a terminal, progress is one line rewritten in place and cleared at the end', () => {
  const written: string[] = [];
  const progress = progressReporter(io(true, written), 'Reading phone numbers');
  progress.update(1, 2);
  progress.update(2, 2);
  progress.end();
  expect(written).toEqual(['\rReading phone numbers 1/2', '\rReading phone numbers 2/2', '\r\x1b[K']);
});

test('when stderr is not a terminal, nothing is written', () => {
  const written: string[] = [];
  const progress = progressReporter(io(false, written), 'Reading phone numbers');
  progress.update(1, 2);
  progress.end();
  expect(written).toEqual([]);
});
