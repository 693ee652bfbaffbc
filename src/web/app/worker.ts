/**
 * The lab's Web Worker: receives `{id, request}` messages, runs the job (./jobs.ts) and posts
 * progress, then the result or a readable error. A job that throws never ends the worker: the
 * error goes back as a message and the next job runs normally.
 */
import { describeError, type JobProgress, type JobRequest, runJob } from "./jobs.js";

export interface WorkerRequest {
  id: number;
  request: JobRequest;
}

export type WorkerReply =
  | { id: number; kind: "progress"; progress: JobProgress }
  | { id: number; kind: "result"; result: unknown }
  | { id: number; kind: "error"; error: ReturnType<typeof describeError> };

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerReply, transfer?: Transferable[]): void;
  addEventListener(type: "unhandledrejection" | "error", listener: (event: Event) => void): void;
};

/** Typed-array buffers inside a result, moved (not copied) to the page. */
function transferables(value: unknown, out: Set<ArrayBuffer> = new Set(), depth = 0): Set<ArrayBuffer> {
  if (depth > 4 || value === null || typeof value !== "object") return out;
  if (ArrayBuffer.isView(value)) {
    if (
      value.buffer instanceof ArrayBuffer &&
      value.byteOffset === 0 &&
      value.byteLength === value.buffer.byteLength
    )
      out.add(value.buffer);
    return out;
  }
  for (const v of Object.values(value as Record<string, unknown>)) transferables(v, out, depth + 1);
  return out;
}

scope.onmessage = (event) => {
  const { id, request } = event.data ?? ({} as WorkerRequest);
  try {
    if (!request || typeof request !== "object") throw new TypeError("empty job request");
    const result = runJob(request, (progress) => scope.postMessage({ id, kind: "progress", progress }));
    scope.postMessage({ id, kind: "result", result }, [...transferables(result)]);
  } catch (error) {
    scope.postMessage({ id, kind: "error", error: describeError(error) });
  }
};

scope.addEventListener("error", (event) => event.preventDefault());
