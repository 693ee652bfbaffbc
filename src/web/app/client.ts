/**
 * Page side of the worker: one job at a time per client, progress callbacks, and a fresh worker
 * when the current one is stopped (Stop button) or dies (it is recreated for the next job).
 */
import type { JobProgress, JobRequest } from "./jobs.js";
import type { WorkerReply } from "./worker.js";

/** A job failure with the worker's readable message (and line/column for input errors). */
export class JobError extends Error {
  constructor(
    message: string,
    readonly kind: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = "JobError";
  }
}

export class WorkerClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; progress?: (p: JobProgress) => void }
  >();

  constructor(private readonly url = "worker.js") {}

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.url, { type: "module" });
    w.onmessage = (event: MessageEvent<WorkerReply>) => {
      const reply = event.data;
      const job = this.pending.get(reply.id);
      if (!job) return;
      if (reply.kind === "progress") job.progress?.(reply.progress);
      else {
        this.pending.delete(reply.id);
        if (reply.kind === "result") job.resolve(reply.result);
        else
          job.reject(
            new JobError(reply.error.message, reply.error.kind, reply.error.line, reply.error.column),
          );
      }
    };
    w.onerror = (event) => {
      event.preventDefault();
      this.fail(`the worker stopped: ${event.message || "unknown error"}`);
    };
    this.worker = w;
    return w;
  }

  private fail(message: string): void {
    this.worker?.terminate();
    this.worker = null;
    for (const job of this.pending.values()) job.reject(new JobError(message, "worker"));
    this.pending.clear();
  }

  /** Run a job in the worker; `transfer` moves buffers (uploaded bytes) instead of copying. */
  run<T>(
    request: JobRequest,
    progress?: (p: JobProgress) => void,
    transfer: Transferable[] = [],
  ): Promise<T> {
    const id = this.nextId++;
    const worker = this.ensure();
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, progress });
      worker.postMessage({ id, request }, transfer);
    });
  }

  /** Stop whatever runs (the worker is terminated; the next job starts a new one). */
  stop(): void {
    this.fail("stopped");
  }
}
