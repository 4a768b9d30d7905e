/** How `list` and `release` show numbers: a plain-text table, a JSON array, and the summary line. */
import { InventoryEntry } from './classify';
import { STATES } from './states';

const COLUMNS = ['STACK', 'LOGICAL ID', 'NUMBER', 'STATE', 'TARGET', 'DETAIL'] as const;

export function renderTable(entries: readonly InventoryEntry[]): string {
  if (entries.length === 0) return 'No numbers of cdk-claimed-phone-number found.\n';
  const rows = entries.map((entry) => [entry.stackName, entry.logicalId, entry.phoneNumber, entry.state, shortTarget(entry.target), detail(entry)]);
  const widths = COLUMNS.map((column, i) => Math.max(column.length, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(COLUMNS), ...rows.map(line)].join('\n') + '\n';
}

/** One line: the total and the count of each state, e.g. `4 numbers: 1 in-use, 1 kept, 1 retained, 1 orphaned`. */
export function renderSummary(entries: readonly InventoryEntry[]): string {
  const counts = STATES.map((state) => `${entries.filter((entry) => entry.state === state).length} ${state}`);
  return `${entries.length} number${entries.length === 1 ? '' : 's'}: ${counts.join(', ')}\n`;
}

export function renderJson(entries: readonly InventoryEntry[]): string {
  return JSON.stringify(entries, null, 2) + '\n';
}

/** What the DETAIL column says: drift for in-use numbers, the reason otherwise. */
function detail(entry: InventoryEntry): string {
  if (entry.state !== 'in-use' || !entry.drift) return entry.reason;
  const drifted = entry.drift.fields.filter((field) => field.status === 'drifted');
  const unknown = entry.drift.fields.filter((field) => field.status === 'unknown').map((field) => field.field);
  const known = drifted.length === 0 ? 'no drift' : `DRIFT ${drifted.map((field) => `${field.field}: ${field.detail}`).join('; ')}`;
  return `${known}${unknown.length > 0 ? ` (unknown: ${unknown.join(', ')})` : ''}`;
}

/** An instance id as it is; an ARN by its resource part (traffic-distribution-group/<id>). */
function shortTarget(target: string): string {
  return target.startsWith('arn:') ? target.slice(target.lastIndexOf(':') + 1) : target;
}
