/**
 * Column IDs of BioLogic EC-Lab binary data files (`.mpr`, "VMP data" module): ID → name (as
 * EC-Lab prints it in the `.mpt` export) and binary type (little-endian).
 *
 * Sources: the IDs marked `verified: true` were checked here by decoding every row of a real
 * file and comparing it with the `.mpt` export of the same measurement (values agree to the
 * printed 8 significant digits): the EC-Lab 11.50 PEIS file now in test/data as
 * galvani__v1150_PEIS.mpr (35 IDs, column order = the export's first 35 columns), and the
 * cheminfo CA, CP, CV, LSV, OCV and ZIR files in test/data/eclab (flags, 8, 11, 19, 20, 24,
 * 123–126, 174, 434, 435, 441, 467, 468). The other entries are facts from public
 * descriptions of the format (column tables published with open-source readers); they could
 * not be checked against a file here.
 *
 * Flag IDs (mode, ox/red, error, control changes, Ns changes, counter inc.) are bit fields
 * that share one byte per row, placed where the first of them appears in the ID list.
 */
import type { MprValueType } from "./types.js";

export interface MprColumn {
  name: string;
  type: MprValueType;
  verified?: boolean;
}

/** Bit masks of the flag IDs that share one byte. */
export const MPR_FLAGS: Record<number, { name: string; mask: number }> = {
  1: { name: "mode", mask: 0x03 },
  2: { name: "ox/red", mask: 0x04 },
  3: { name: "error", mask: 0x08 },
  21: { name: "control changes", mask: 0x10 },
  31: { name: "Ns changes", mask: 0x20 },
  65: { name: "counter inc.", mask: 0x80 },
};

const V = true;

export const MPR_COLUMNS: Record<number, MprColumn> = {
  4: { name: "time/s", type: "f64", verified: V },
  5: { name: "control/V/mA", type: "f32" },
  6: { name: "Ewe/V", type: "f32" },
  7: { name: "dq/mA.h", type: "f64" },
  8: { name: "I/mA", type: "f32", verified: V },
  9: { name: "Ece/V", type: "f32" },
  11: { name: "<I>/mA", type: "f64", verified: V },
  13: { name: "(Q-Qo)/mA.h", type: "f64", verified: V },
  16: { name: "Analog IN 1/V", type: "f32" },
  17: { name: "Analog IN 2/V", type: "f32" },
  19: { name: "control/V", type: "f32", verified: V },
  20: { name: "control/mA", type: "f32", verified: V },
  23: { name: "dQ/mA.h", type: "f64" },
  24: { name: "cycle number", type: "f64", verified: V },
  26: { name: "Rapp/Ohm", type: "f32" },
  27: { name: "Ewe-Ece/V", type: "f32" },
  32: { name: "freq/Hz", type: "f32", verified: V },
  33: { name: "|Ewe|/V", type: "f32", verified: V },
  34: { name: "|I|/A", type: "f32", verified: V },
  35: { name: "Phase(Z)/deg", type: "f32", verified: V },
  36: { name: "|Z|/Ohm", type: "f32", verified: V },
  37: { name: "Re(Z)/Ohm", type: "f32", verified: V },
  38: { name: "-Im(Z)/Ohm", type: "f32", verified: V },
  39: { name: "I Range", type: "u16", verified: V },
  69: { name: "R/Ohm", type: "f32" },
  70: { name: "Pwe/W", type: "f32", verified: V },
  74: { name: "|Energy|/W.h", type: "f64" },
  75: { name: "Analog OUT/V", type: "f32" },
  76: { name: "<I>/mA", type: "f32", verified: V },
  77: { name: "<Ewe>/V", type: "f32", verified: V },
  78: { name: "Cs-2/µF-2", type: "f32" },
  96: { name: "|Ece|/V", type: "f32" },
  98: { name: "Phase(Zce)/deg", type: "f32" },
  99: { name: "|Zce|/Ohm", type: "f32" },
  100: { name: "Re(Zce)/Ohm", type: "f32" },
  101: { name: "-Im(Zce)/Ohm", type: "f32" },
  123: { name: "Energy charge/W.h", type: "f64", verified: V },
  124: { name: "Energy discharge/W.h", type: "f64", verified: V },
  125: { name: "Capacitance charge/µF", type: "f64", verified: V },
  126: { name: "Capacitance discharge/µF", type: "f64", verified: V },
  131: { name: "Ns", type: "u16", verified: V },
  163: { name: "|Estack|/V", type: "f32" },
  168: { name: "Rcmp/Ohm", type: "f32" },
  169: { name: "Cs/µF", type: "f32", verified: V },
  172: { name: "Cp/µF", type: "f32", verified: V },
  173: { name: "Cp-2/µF-2", type: "f32" },
  174: { name: "<Ewe>/V", type: "f32", verified: V },
  241: { name: "|E1|/V", type: "f32" },
  242: { name: "|E2|/V", type: "f32" },
  271: { name: "Phase(Z1)/deg", type: "f32" },
  272: { name: "Phase(Z2)/deg", type: "f32" },
  301: { name: "|Z1|/Ohm", type: "f32" },
  302: { name: "|Z2|/Ohm", type: "f32" },
  331: { name: "Re(Z1)/Ohm", type: "f32" },
  332: { name: "Re(Z2)/Ohm", type: "f32" },
  361: { name: "-Im(Z1)/Ohm", type: "f32" },
  362: { name: "-Im(Z2)/Ohm", type: "f32" },
  391: { name: "<E1>/V", type: "f32" },
  392: { name: "<E2>/V", type: "f32" },
  422: { name: "Phase(Zstack)/deg", type: "f32" },
  423: { name: "|Zstack|/Ohm", type: "f32" },
  424: { name: "Re(Zstack)/Ohm", type: "f32" },
  425: { name: "-Im(Zstack)/Ohm", type: "f32" },
  426: { name: "<Estack>/V", type: "f32" },
  430: { name: "Phase(Zwe-ce)/deg", type: "f32" },
  431: { name: "|Zwe-ce|/Ohm", type: "f32" },
  432: { name: "Re(Zwe-ce)/Ohm", type: "f32" },
  433: { name: "-Im(Zwe-ce)/Ohm", type: "f32" },
  434: { name: "(Q-Qo)/C", type: "f32", verified: V },
  435: { name: "dQ/C", type: "f32", verified: V },
  438: { name: "step time/s", type: "f64" },
  441: { name: "<Ece>/V", type: "f32", verified: V },
  462: { name: "Temperature/°C", type: "f32" },
  467: { name: "Q charge/discharge/mA.h", type: "f64", verified: V },
  468: { name: "half cycle", type: "u32", verified: V },
  469: { name: "z cycle", type: "u32" },
  471: { name: "<Ece>/V", type: "f32" },
  473: { name: "THD Ewe/%", type: "f32", verified: V },
  474: { name: "THD I/%", type: "f32", verified: V },
  476: { name: "NSD Ewe/%", type: "f32", verified: V },
  477: { name: "NSD I/%", type: "f32", verified: V },
  479: { name: "NSR Ewe/%", type: "f32", verified: V },
  480: { name: "NSR I/%", type: "f32", verified: V },
  486: { name: "|Ewe h2|/V", type: "f32", verified: V },
  487: { name: "|Ewe h3|/V", type: "f32", verified: V },
  488: { name: "|Ewe h4|/V", type: "f32", verified: V },
  489: { name: "|Ewe h5|/V", type: "f32", verified: V },
  490: { name: "|Ewe h6|/V", type: "f32", verified: V },
  491: { name: "|Ewe h7|/V", type: "f32", verified: V },
  492: { name: "|I h2|/A", type: "f32", verified: V },
  493: { name: "|I h3|/A", type: "f32", verified: V },
  494: { name: "|I h4|/A", type: "f32", verified: V },
  495: { name: "|I h5|/A", type: "f32", verified: V },
  496: { name: "|I h6|/A", type: "f32", verified: V },
  497: { name: "|I h7|/A", type: "f32", verified: V },
  498: { name: "Q charge/mA.h", type: "f64" },
  499: { name: "Q discharge/mA.h", type: "f64" },
  500: { name: "step time/s", type: "f64" },
  501: { name: "Efficiency/%", type: "f32" },
  502: { name: "Capacity/mA.h", type: "f64" },
  505: { name: "Rdc/Ohm", type: "f32" },
};

/** Size in bytes of a value type. */
export function mprTypeSize(type: MprValueType): number {
  switch (type) {
    case "u8":
      return 1;
    case "u16":
    case "i16":
      return 2;
    case "u32":
    case "i32":
    case "f32":
      return 4;
    case "f64":
      return 8;
  }
}
