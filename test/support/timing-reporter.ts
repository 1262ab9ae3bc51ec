import type { Reporter, TestModule } from 'vitest/node';

/**
 * `npm run test:profile`: after the run, each file's time (its hooks and tests; collection apart), slowest first,
 * and their sums: where the suite's minutes go. Times are wall clock on a shared machine, so read them as shares.
 */
export default class TimingReporter implements Reporter {
  private readonly rows: { file: string; seconds: number; collect: number }[] = [];

  onTestModuleEnd(module: TestModule): void {
    const diagnostic = module.diagnostic();
    this.rows.push({
      file: module.relativeModuleId,
      seconds: diagnostic.duration / 1000,
      collect: diagnostic.collectDuration / 1000,
    });
  }

  onTestRunEnd(): void {
    const rows = [...this.rows].sort((a, b) => b.seconds - a.seconds);
    const sum = (pick: (row: (typeof rows)[number]) => number) => rows.reduce((total, row) => total + pick(row), 0);
    console.log(
      `\n${rows.length} files: ${sum((r) => r.seconds).toFixed(0)} s in hooks and tests, ${sum((r) => r.collect).toFixed(0)} s collecting`,
    );
    for (const row of rows.slice(0, Number(process.env.PROFILE_ROWS ?? 25)))
      console.log(`${row.seconds.toFixed(1).padStart(7)} s  ${row.collect.toFixed(1).padStart(5)} s  ${row.file}`);
  }
}
