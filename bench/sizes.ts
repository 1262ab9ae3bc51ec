import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Reply, Request } from './protocol.js';

type Ready = Extract<Reply, { type: 'ready' }>;

/** How long a worker may take for one answer (loading 10× included) before the run gives up. */
const ANSWER_TIMEOUT_MS = 3 * 60_000;

/**
 * A size worker (bench/worker.ts) in a process of its own, asked one thing at a time over IPC. Its
 * stdout (the handler's log lines, if any) goes to our stderr, so that stdout carries only the table.
 */
export class SizeWorker {
  private readonly child: ChildProcess;
  private pending: { resolve: (reply: Reply) => void; reject: (error: Error) => void; timer: NodeJS.Timeout } | undefined;
  private exited: Error | undefined;
  readonly ready: Promise<Ready>;

  constructor(
    root: string,
    readonly factor: number,
    endpoint: string,
  ) {
    this.child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', 'worker.ts')], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      env: { ...process.env, BENCH_FACTOR: String(factor), BENCH_ENDPOINT: endpoint },
    });
    this.child.stdout?.pipe(process.stderr);
    this.child.on('message', (reply: Reply) => this.settle(reply));
    this.child.once('exit', (code, signal) => {
      this.exited = new Error(`The ${factor}× worker exited (${signal ?? `code ${code}`})`);
      this.fail(this.exited);
    });
    this.ready = this.expect().then((reply) => {
      if (reply.type !== 'ready') throw new Error(`The ${factor}× worker answered ${reply.type} instead of ready`);
      return reply;
    });
  }

  private expect(): Promise<Reply> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(new Error(`The ${this.factor}× worker did not answer within ${ANSWER_TIMEOUT_MS / 1000} s`));
        this.stop();
      }, ANSWER_TIMEOUT_MS);
      this.pending = { resolve, reject, timer };
    });
  }

  private settle(reply: Reply) {
    if (reply.type === 'error') return this.fail(new Error(`The ${this.factor}× worker failed: ${reply.message}`));
    const pending = this.pending;
    this.pending = undefined;
    if (pending) {
      clearTimeout(pending.timer);
      pending.resolve(reply);
    }
  }

  private fail(error: Error) {
    const pending = this.pending;
    this.pending = undefined;
    if (pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
  }

  /** Sends a request and waits for its answer, of the expected type. */
  async ask<T extends Reply['type']>(request: Request, type: T): Promise<Extract<Reply, { type: T }>> {
    const answer = this.expect();
    this.child.send(request);
    const reply = await answer;
    if (reply.type !== type) throw new Error(`The ${this.factor}× worker answered ${reply.type} instead of ${type}`);
    return reply as Extract<Reply, { type: T }>;
  }

  /** Ends the worker if it is still running (after `finish` it ends by itself). */
  stop() {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
  }
}
