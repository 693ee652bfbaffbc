/**
 * Text matrix exports → 2-D images: Gwyddion "ASCII data matrix" files (optional `# Key: value`
 * header lines such as `# Channel: ESM amplitude`, `# Width: 5.000 µm`, `# Height: 5.000 µm`,
 * `# Value units: V`, then one image row per line) and plain CSV/TSV matrices (comma, semicolon,
 * tab or space separated). Pure function over text; the caller reads the file.
 *
 * Row order: the first data line is image row y = 0 (Gwyddion writes the top row first).
 * Cells "NaN"/"nan" (and empty cells of a CSV) become NaN (masked/missing pixels).
 */

import { InputError } from "../../errors.js";
import { parseQuantity } from "../../units.js";
import type { Volume } from "../volume.js";

export interface MatrixText {
  /** The image (nz = 1), float64; spacing from Width/Height when given, else 1 m per pixel. */
  image: Volume<Float64Array>;
  /** Header entries (`# Key: value`), keys lower-cased. */
  header: Record<string, string>;
  /** Channel name (`# Channel:`), if any. */
  channel?: string;
  /** Unit of the values (`# Value units:`), if any. */
  valueUnit?: string;
  /** True when the pixel size came from Width/Height header lines. */
  spacingFromHeader: boolean;
}

const SEPARATORS = /[,;\t ]+/;

function parseLength(text: string, file: string | undefined, line: number, field: string): number {
  // Gwyddion writes "5.000 µm"; parseQuantity wants no space before the unit
  const t = text.trim().replace(/\s+/g, "");
  try {
    return parseQuantity(t, "length", { field, positive: true });
  } catch (e) {
    return InputError.at(e, { file, line, field });
  }
}

/**
 * Parse a text matrix.
 * @param text file contents
 * @param file name for error messages
 * @throws InputError naming the file, line and column of a non-numeric cell or a ragged row
 */
export function parseMatrixText(text: string, file?: string): MatrixText {
  const header: Record<string, string> = {};
  const rows: number[][] = [];
  const lineOf: number[] = [];
  const lines = text.split(/\r?\n/);
  let nx = -1;
  let widthLine = 0;
  let heightLine = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (raw === "") continue;
    if (raw.startsWith("#")) {
      const m = /^#\s*([^:]+?)\s*:\s*(.*)$/.exec(raw);
      if (m) {
        const key = m[1].toLowerCase();
        header[key] = m[2].trim();
        if (key === "width") widthLine = i + 1;
        if (key === "height") heightLine = i + 1;
      }
      continue;
    }
    const hasDelimiter = /[,;\t]/.test(raw);
    const cells = hasDelimiter ? raw.split(/\s*[,;\t]\s*/) : raw.split(SEPARATORS);
    const row: number[] = new Array(cells.length);
    for (let j = 0; j < cells.length; j++) {
      const c = cells[j].trim();
      if (c === "" || c.toLowerCase() === "nan") {
        row[j] = Number.NaN;
        continue;
      }
      const v = Number(c);
      if (!Number.isFinite(v)) {
        throw new InputError("matrix cell is not a number", {
          file,
          line: i + 1,
          column: j + 1,
          value: c,
          expected: "a number (or NaN) in every cell; header lines start with #",
        });
      }
      row[j] = v;
    }
    if (nx < 0) nx = row.length;
    else if (row.length !== nx) {
      throw new InputError("ragged matrix row", {
        file,
        line: i + 1,
        value: `${row.length} cells`,
        expected: `${nx} cells like the first data row`,
      });
    }
    rows.push(row);
    lineOf.push(i + 1);
  }
  if (rows.length === 0)
    throw new InputError("no data rows in matrix file", {
      file,
      expected: "rows of numbers (Gwyddion ASCII matrix or CSV)",
    });
  const ny = rows.length;
  const data = new Float64Array(nx * ny);
  for (let y = 0; y < ny; y++) data.set(rows[y], y * nx);
  let dx = 1;
  let dy = 1;
  let spacingFromHeader = false;
  if (header.width !== undefined) {
    dx = parseLength(header.width, file, widthLine, "Width") / nx;
    dy = header.height !== undefined ? parseLength(header.height, file, heightLine, "Height") / ny : dx;
    spacingFromHeader = true;
  } else if (header.height !== undefined) {
    dy = parseLength(header.height, file, heightLine, "Height") / ny;
    dx = dy;
    spacingFromHeader = true;
  }
  return {
    image: { data, shape: [1, ny, nx], spacing: [dy, dy, dx] },
    header,
    channel: header.channel,
    valueUnit: header["value units"],
    spacingFromHeader,
  };
}

/** Write an image (nz = 1) as a Gwyddion-style ASCII matrix with header (inverse of `parseMatrixText`). */
export function formatMatrixText(
  image: Volume,
  meta: { channel?: string; valueUnit?: string; digits?: number } = {},
): string {
  const [, ny, nx] = image.shape;
  const [, dy, dx] = image.spacing;
  const lines = [
    ...(meta.channel ? [`# Channel: ${meta.channel}`] : []),
    `# Width: ${((dx * nx) / 1e-6).toPrecision(6)} µm`,
    `# Height: ${((dy * ny) / 1e-6).toPrecision(6)} µm`,
    ...(meta.valueUnit ? [`# Value units: ${meta.valueUnit}`] : []),
  ];
  const digits = meta.digits ?? 6;
  for (let y = 0; y < ny; y++) {
    const row: string[] = new Array(nx);
    for (let x = 0; x < nx; x++) {
      const v = image.data[y * nx + x];
      row[x] = Number.isFinite(v) ? Number(v.toPrecision(digits)).toString() : "NaN";
    }
    lines.push(row.join("\t"));
  }
  return `${lines.join("\n")}\n`;
}
