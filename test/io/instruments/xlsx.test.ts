import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { InputError } from "../../../src/errors.js";
import {
  detectFormat,
  parseImpedance,
  parseTimeSeries,
  readXlsx,
} from "../../../src/io/instruments/index.js";
import { dataBytes } from "./data.js";

// Real cycler export saved as .xlsx (cellpy, MIT; test/data/cyclers/README.md). Reference
// values below were read with Python's xml.etree from the same archive (an independent XML
// parser): sheet2.xml rows 2, 1001 and 16539.
const name = "cellpy__custom_data_002.xlsx";
const bytes = dataBytes(`cyclers/${name}`);

/** A smaller workbook made from the real one: its Record-Tab cut to the first `rows` rows. */
function trimmedWorkbook(rows: number): Uint8Array {
  const parts = unzipSync(bytes);
  const xml = strFromU8(parts["xl/worksheets/sheet2.xml"]);
  const ends = [...xml.matchAll(/<\/row>/g)].map((m) => m.index! + "</row>".length);
  parts["xl/worksheets/sheet2.xml"] = strToU8(
    xml.slice(0, ends[rows - 1]) + xml.slice(xml.indexOf("</sheetData>")),
  );
  return zipSync(parts);
}

describe("XLSX cycler export (Record-Tab of a real workbook)", () => {
  const t = parseTimeSeries(bytes, name);

  it("is sniffed as xlsx, skips the Cycle-Tab (no time column) and reads 16 538 records of Record-Tab", () => {
    assert.equal(detectFormat(bytes, "anything.bin"), "xlsx");
    assert.deepEqual(readXlsx(bytes, name).sheets, ["Cycle-Tab", "Record-Tab"]);
    assert.deepEqual(t.meta, { format: "xlsx", sheet: "Record-Tab" });
    assert.equal(t.time.length, 16538);
  });

  it("TestTime/Sec → s, Current/mA → A, Voltage/V, Step-Index as in the XML (rows 2, 1001, 16539)", () => {
    assert.equal(t.time[0], 0);
    assert.equal(t.voltage![0], 2.8152900000000001);
    assert.equal(t.time[999], 38806);
    assert.equal(t.current[999], -0.14571000000000001 / 1000, "RateD row: discharge current negative");
    assert.equal(t.voltage![999], 7.9985000000000001e-2);
    assert.equal(t.columns["Step-Index"][999], 2);
    assert.equal(t.time[16537], 388864);
    assert.equal(t.voltage![16537], 0.588418);
    assert.equal(t.columns["Cycle-Index"][16537], 14);
    assert.equal(t.columns["column N"], undefined, "the empty column N is not numeric");
  });

  it("a named sheet without the columns → InputError listing what is missing; an unknown sheet → InputError", () => {
    assert.throws(
      () => parseTimeSeries(bytes, name, { table: "Cycle-Tab" }),
      (e: unknown) => e instanceof InputError && /no time column/.test(e.message),
    );
    assert.throws(
      () => parseTimeSeries(bytes, name, { table: "Sheet9" }),
      (e: unknown) =>
        e instanceof InputError && /no sheet "Sheet9"/.test(e.message) && /"Record-Tab"/.test(e.message),
    );
    assert.throws(
      () => parseImpedance(bytes, name),
      (e: unknown) => e instanceof InputError && /no sheet holds the table/.test(e.message),
    );
  });

  it("the trimmed workbook (first 60 rows) reads the same first 59 records", () => {
    const small = parseTimeSeries(trimmedWorkbook(60), "small.xlsx");
    assert.equal(small.time.length, 59);
    assert.deepEqual([...small.voltage!], [...t.voltage!.subarray(0, 59)]);
  });

  it("text in a numeric column → InputError naming sheet, cell and row", () => {
    const parts = unzipSync(trimmedWorkbook(60));
    const xml = strFromU8(parts["xl/worksheets/sheet2.xml"]);
    parts["xl/worksheets/sheet2.xml"] = strToU8(
      xml.replace(
        /<c r="H10"([^>]*)><v>[^<]*<\/v><\/c>/,
        '<c r="H10" t="inlineStr"><is><t>n.a.</t></is></c>',
      ),
    );
    assert.throws(
      () => parseTimeSeries(zipSync(parts), "bad.xlsx"),
      (e: unknown) =>
        e instanceof InputError &&
        e.line === 10 &&
        e.field === "Voltage/V" &&
        /cell H10 holds "n.a."/.test(e.message),
    );
  });

  it("a part declaring 2 GiB (zip bomb) → InputError before inflating", () => {
    const zip = new Uint8Array(trimmedWorkbook(60));
    const dv = new DataView(zip.buffer);
    // central directory headers (PK\x01\x02): uncompressed size at +24
    let patched = 0;
    for (let p = 0; p + 46 < zip.length; p++) {
      if (dv.getUint32(p, true) === 0x02014b50) {
        const nameLen = dv.getUint16(p + 28, true);
        const entry = new TextDecoder().decode(zip.subarray(p + 46, p + 46 + nameLen));
        if (entry === "xl/worksheets/sheet2.xml") {
          dv.setUint32(p + 24, 0x7fffffff, true);
          patched++;
        }
      }
    }
    assert.equal(patched, 1);
    assert.throws(
      () => parseTimeSeries(zip, "bomb.xlsx"),
      (e: unknown) => e instanceof InputError && /declares 2147483647 bytes/.test(e.message),
    );
  });
});
