/**
 * The example command lines printed in help texts and in the README's shell blocks, parsed
 * into argument vectors (test helper). An example is a line that starts with `cathodelab` or
 * `npx cathodelab`, continued by trailing backslashes; `&&` chains several commands; `#` starts
 * a comment. An example whose comment says "(slow" is not run itself: the next example of the
 * same text that runs the same command (its cheaper variant, shown in the same text) is.
 */

export interface Example {
  /** Where it was found: "help of fit eis" or "README.md line 42". */
  source: string;
  /** The text as printed. */
  text: string;
  /** Argument vectors after `cathodelab`, one per `&&`-chained command. */
  commands: string[][];
  /** The example is marked slow in its comment. */
  slow: boolean;
}

/** Split a shell command line into words (double and single quotes, backslash escapes). */
export function shellWords(line: string): { words: string[]; comment: string } {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === "\\" && quote === '"' && i + 1 < line.length && /["\\$`]/.test(line[i + 1]))
        word += line[++i];
      else word += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === "\\" && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else if (ch === "#" && !inWord) {
      return { words, comment: line.slice(i + 1).trim() };
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unterminated quote in: ${line}`);
  if (inWord) words.push(word);
  return { words, comment: "" };
}

function toExample(source: string, text: string): Example {
  const { words, comment } = shellWords(text);
  const commands: string[][] = [];
  let current: string[] = [];
  for (const w of [...words, "&&"]) {
    if (w === "&&") {
      const argv = current[0] === "npx" ? current.slice(1) : current;
      if (argv[0] !== "cathodelab") throw new Error(`${source}: not a cathodelab command: ${argv.join(" ")}`);
      commands.push(argv.slice(1));
      current = [];
    } else current.push(w);
  }
  return { source, text, commands, slow: /\(slow/.test(comment) };
}

/** Join backslash-continued lines; returns [first line index, joined text]. */
function logicalLines(lines: string[]): [number, string][] {
  const out: [number, string][] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let text = lines[i];
    while (/\\\s*$/.test(text) && i + 1 < lines.length)
      text = `${text.replace(/\\\s*$/, " ")}${lines[++i].trim()}`;
    out.push([start, text]);
  }
  return out;
}

const STARTS = /^\s*(npx\s+)?cathodelab\s/;

/** Examples in a help text: the command lines of its "Example:" / "Examples (…):" section. */
export function helpExamples(help: string, name: string): Example[] {
  const lines = help.split("\n");
  const start = lines.findIndex((l) => /^Examples?\b[^:]*:\s*$/.test(l));
  if (start < 0) return [];
  let end = start + 1;
  while (end < lines.length && (lines[end].trim() === "" || /^\s/.test(lines[end]))) end++;
  return logicalLines(lines.slice(start + 1, end))
    .filter(([, t]) => STARTS.test(t))
    .map(([, t]) => toExample(`help of ${name}`, t.trim()));
}

/** Examples in the ```sh blocks of a Markdown file. */
export function markdownExamples(markdown: string, file: string): Example[] {
  const lines = markdown.split("\n");
  const examples: Example[] = [];
  let inShell = false;
  const block: string[] = [];
  let blockStart = 0;
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(\w*)/.exec(lines[i]);
    if (fence && !inShell) {
      inShell = fence[1] === "sh" || fence[1] === "bash" || fence[1] === "shell";
      block.length = 0;
      blockStart = i + 1;
      if (!inShell && fence[1] === "") {
        // a plain block: skip to its end
        while (i + 1 < lines.length && !/^```/.test(lines[i + 1])) i++;
        i++;
      } else if (!inShell) {
        while (i + 1 < lines.length && !/^```/.test(lines[i + 1])) i++;
        i++;
      }
      continue;
    }
    if (fence && inShell) {
      for (const [k, t] of logicalLines(block))
        if (STARTS.test(t)) examples.push(toExample(`${file} line ${blockStart + k + 1}`, t.trim()));
      inShell = false;
      continue;
    }
    if (inShell) block.push(lines[i]);
  }
  return examples;
}

/**
 * The command lines to run for a list of examples (in order): each example's commands, except
 * that a slow one is replaced by the next example of the same source whose first command has the
 * same command words (its cheaper variant). Throws if a slow example has no such variant.
 */
export function commandsToRun(examples: Example[]): { example: Example; argv: string[] }[] {
  // the command words: the leading lower-case words before the first option ("tomo analyze")
  const words = (argv: string[]) => {
    const end = argv.findIndex((w) => w.startsWith("-"));
    return (end < 0 ? argv : argv.slice(0, end))
      .filter((w) => /^[a-z]+$/.test(w))
      .slice(0, 2)
      .join(" ");
  };
  const out: { example: Example; argv: string[] }[] = [];
  examples.forEach((e, i) => {
    if (!e.slow) {
      for (const argv of e.commands) out.push({ example: e, argv });
      return;
    }
    const variant = examples
      .slice(i + 1)
      .find(
        (v) =>
          !v.slow &&
          v.source.split(" line ")[0] === e.source.split(" line ")[0] &&
          words(v.commands[0]) === words(e.commands[0]),
      );
    if (!variant) throw new Error(`${e.source}: slow example without a cheaper variant after it: ${e.text}`);
  });
  return out;
}
