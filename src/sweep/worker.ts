/**
 * Worker-thread entry of the local sweep pool (piscina): runs one cathodelab command in-process
 * (the library directly, no child process) and returns its exit code and captured output.
 */
import { main } from "../cli/main.js";

export interface WorkerJob {
  /** Command words and options, e.g. ["study", "--material", "NCA", "--out", "…"]. */
  argv: string[];
  cwd: string;
}

export interface WorkerResult {
  code: number;
  stdout: string;
  stderr: string;
}

export default async function runJob(job: WorkerJob): Promise<WorkerResult> {
  let stdout = "";
  let stderr = "";
  const code = await main(job.argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    isTTY: false,
    cwd: job.cwd,
  });
  return { code, stdout, stderr };
}
