/** The command's exit codes and streams for input it refuses before any AWS call. */
import { Readable } from 'stream';
import { inStack } from '../../cli/inventory';
import { runCli } from '../../cli/run-cli';

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const clients = async () => {
    throw new Error('no AWS client may be made for this input');
  };
  const code = await runCli(
    argv,
    { env: {}, stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, stdin: Readable.from([]), isTTY: { stdin: false, stderr: false } },
    { clients },
  );
  return { code, stdout, stderr };
}

test('--help prints the usage on stdout and exits with 0', async () => {
  const result = await run(['--help']);
  expect(result).toMatchObject({ code: 0, stderr: '' });
  expect(result.stdout).toMatch(/^Usage: cdk-claimed-phone-number <command>/);
});

test('an unknown command is refused on stderr with exit code 2, before any AWS client is made', async () => {
  expect(await run(['prune'])).toEqual({ code: 2, stdout: '', stderr: 'Unknown command "prune": use list or release.\n' });
});

test('--stack covers the stack and the nested stacks under it, and nothing else', () => {
  expect(['Numbers', 'Numbers/NestedA', 'Numbers/NestedA/Deeper', 'NumbersOld', 'Other'].filter((scope) => inStack(scope, 'Numbers'))).toEqual([
    'Numbers',
    'Numbers/NestedA',
    'Numbers/NestedA/Deeper',
  ]);
});
