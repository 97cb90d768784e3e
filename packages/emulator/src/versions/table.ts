/**
 * The version table of the README, rendered from {@link BEHAVIOUR_ROWS} so the two cannot drift.
 *
 * @module versions/table
 */
import { BEHAVIOUR_ROWS } from './behaviours.js';

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The Markdown table of every behaviour that differs between the server versions. */
export function renderVersionTable(): string {
  const lines = [
    '| behaviour | `2024-10` | `latest` | sources (2024-10 / latest) |',
    '|---|---|---|---|',
  ];
  for (const row of BEHAVIOUR_ROWS) {
    lines.push(
      `| ${cell(row.title)} | ${cell(row.shows['2024-10'])} | ${cell(row.shows.latest)} | ${cell(row.source['2024-10'])} / ${cell(row.source.latest)} |`,
    );
  }
  return lines.join('\n');
}
