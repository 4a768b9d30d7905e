/**
 * The README as users read it on the npm page, where it ships: short enough to read in ten minutes, links that
 * work there (absolute links to the repository, or anchors of its own headings), and a props table that names
 * every prop the construct takes.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The anchor GitHub and npm give a heading: lower case, punctuation dropped, spaces as dashes. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The README's lines outside fenced code blocks. */
function proseLines(markdown: string): string[] {
  let fenced = false;
  return markdown.split('\n').filter((line) => {
    if (/^```/.test(line)) {
      fenced = !fenced;
      return false;
    }
    return !fenced;
  });
}

test('the README reads in ten minutes: at most 300 lines', () => {
  // GIVEN the README that ships in the package
  // WHEN its lines are counted
  const lines = README.split('\n').length;

  // THEN it stays within the budget (contributor material belongs in CONTRIBUTING.md)
  expect(lines).toBeLessThanOrEqual(300);
});

test('every link of the README works from the npm page: the repository URL of package.json, or an anchor it has', () => {
  // GIVEN the repository URL the package declares, and the README's headings
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { repository: { url: string } };
  const repository = pkg.repository.url.replace(/\.git$/, '');
  const prose = proseLines(README);
  const anchors = new Set(prose.filter((line) => /^#{1,6} /.test(line)).map((line) => `#${anchorOf(line.replace(/^#+ /, ''))}`));

  // WHEN every Markdown link target is read
  const targets = prose.flatMap((line) => [...line.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]));

  // THEN each is an anchor of a heading, or an absolute link into the repository
  expect(targets.length).toBeGreaterThan(0);
  const broken = targets.filter((target) => (target.startsWith('#') ? !anchors.has(target) : !target.startsWith(`${repository}/`)));
  expect(broken).toEqual([]);
});

test('the props table names every prop of ClaimedPhoneNumberProps', () => {
  // GIVEN the props the jsii assembly declares (what every language's users can pass)
  const assembly = JSON.parse(fs.readFileSync(path.join(ROOT, '.jsii'), 'utf8')) as {
    types: { [fqn: string]: { properties?: Array<{ name: string }> } };
  };
  const props = assembly.types['cdk-claimed-phone-number.ClaimedPhoneNumberProps'].properties!.map((p) => p.name);

  // WHEN the README's props table is read (its first column)
  const table = README.slice(README.indexOf('## Props'), README.indexOf('\n## ', README.indexOf('## Props') + 1));
  const named = new Set(table.split('\n').flatMap((line) => [...(/^\| ([^|]+) \|/.exec(line)?.[1] ?? '').matchAll(/`(\w+)`/g)].map((m) => m[1])));

  // THEN none is missing
  expect(props.filter((prop) => !named.has(prop))).toEqual([]);
});
