/**
 * Every TypeScript block of README.md type-checks against the built library, as a user pastes it: each block
 * is a module of its own (so it must show its imports), `cdk-claimed-phone-number` resolves to this
 * repository's built declarations (lib/index.d.ts, written by `npm run build`), and a block that uses `this`
 * is checked as the body of a Stack's constructor (where README recipes go).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');

interface CodeBlock {
  /** 1-based line of the block's first code line in the README. */
  readonly line: number;
  readonly code: string;
}

/** The ```ts (or ```typescript) blocks of a Markdown text. */
export function typeScriptBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i])) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
    blocks.push({ line: start + 1, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return blocks;
}

/** A block as a module: one that uses `this` becomes the body of a Stack constructor, its imports kept on top. */
function asModule(block: CodeBlock): { source: string; firstLine: number } {
  if (!/\bthis\b/.test(block.code) || /\bclass\s/.test(block.code)) {
    return { source: `${block.code}\nexport {};\n`, firstLine: 0 };
  }
  // Imports stay at module level (a multi-line import ends at its `from '...';` line).
  const lines = block.code.split('\n');
  let importEnd = 0;
  for (let i = 0; i < lines.length; i++) {
    if (/^import\b/.test(lines[i]) || (importEnd === i && i > 0 && !/;\s*$/.test(lines[i - 1]))) {
      importEnd = i + 1;
    } else if (lines[i].trim() !== '' || importEnd < i) {
      break;
    }
  }
  const imports = lines.slice(0, importEnd).join('\n');
  const body = lines.slice(importEnd).join('\n');
  const header = [
    "import { Stack as ReadmeStack } from 'aws-cdk-lib';",
    "import { Construct as ReadmeConstruct } from 'constructs';",
    imports,
    'export class ReadmeExample extends ReadmeStack {',
    '  constructor(scope: ReadmeConstruct, id: string) {',
    '    super(scope, id);',
  ].join('\n');
  return { source: `${header}\n${body}\n  }\n}\n`, firstLine: header.split('\n').length - importEnd };
}

/** Type-checks the blocks as modules against the built library; returns one message per error, README lines. */
export function typeCheckBlocks(blocks: CodeBlock[], libDeclarations: string): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-examples-'));
  try {
    const files = blocks.map((block, i) => {
      const file = path.join(dir, `block${i + 1}.ts`);
      const { source, firstLine } = asModule(block);
      fs.writeFileSync(file, source);
      return { file, block, firstLine };
    });
    const program = ts.createProgram(
      files.map((f) => f.file),
      {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.CommonJS,
        moduleResolution: ts.ModuleResolutionKind.Node10,
        lib: ['lib.es2022.d.ts'],
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        esModuleInterop: true,
        baseUrl: ROOT,
        paths: { 'cdk-claimed-phone-number': [libDeclarations], '*': ['node_modules/*', 'node_modules/@types/*'] },
        typeRoots: [path.join(ROOT, 'node_modules', '@types')],
        types: ['jest', 'node'],
      },
    );
    return ts.getPreEmitDiagnostics(program).map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      const source = files.find((f) => f.file === d.file?.fileName);
      if (!source || d.start === undefined) return message;
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start);
      return `README.md line ${source.block.line + line - source.firstLine}: ${message}`;
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const BUILT = path.join(ROOT, 'lib', 'index.d.ts');

test('every TypeScript block of the README type-checks against the built library, imports included', () => {
  // GIVEN the README's TypeScript blocks and the library as `npm run build` left it
  expect(fs.existsSync(BUILT)).toBe(true); // run `npm run build` first
  const blocks = typeScriptBlocks(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
  expect(blocks.length).toBeGreaterThanOrEqual(4);

  // WHEN they are compiled, each a module of its own
  const errors = typeCheckBlocks(blocks, BUILT);

  // THEN none has an error
  expect(errors).toEqual([]);
});

test('a block that uses an enum it does not import fails, with its README line', () => {
  // GIVEN a block as the README had it: PhoneNumberType used without its import
  const block = {
    line: 380,
    code: [
      "import { ClaimedPhoneNumber } from 'cdk-claimed-phone-number';",
      '',
      "new ClaimedPhoneNumber(this, 'Callback', {",
      "  search: { countryCode: 'US', numberType: PhoneNumberType.TOLL_FREE },",
      "  instanceId: 'a1b2c3d4',",
      '});',
    ].join('\n'),
  };

  // WHEN it is type-checked
  const errors = typeCheckBlocks([block], BUILT);

  // THEN the missing name is reported on the README line that uses it
  expect(errors).toEqual(["README.md line 383: Cannot find name 'PhoneNumberType'."]);
});
