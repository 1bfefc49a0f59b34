import { appendFileSync } from 'fs';

/**
 * Adds `value` to the run's figure `name` (scenarios run, requests simulated, …). The summary reporter
 * prints the totals at the end of `npm test`. Outside Jest's global set-up (one test file run alone by
 * an editor, say) there is no figures file and nothing is written.
 */
export function recordFigure(name: string, value: number): void {
  const file = process.env.TEST_FIGURES_FILE;
  if (file) appendFileSync(file, `${JSON.stringify({ name, value })}\n`);
}
