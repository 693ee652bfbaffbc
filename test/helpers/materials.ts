/**
 * Idealised materials for verification tests: closed-form functions so that numerical
 * results can be compared with analytical solutions (Crank series, PITT series).
 */
import type { Material, PropertyInfo } from "../../src/materials/material.js";

export interface IdealMaterialOptions {
  /** Constant chemical diffusivity [m²/s]. */
  diffusivity?: number;
  /** Linear OCV U(x) = u0 + slope·(x − 0.5) [V]; slope < 0. */
  ocvSlope?: number;
  ocvAt05?: number;
  /** Constant exchange current density [A/m²]. */
  exchangeCurrentDensity?: number;
  doubleLayerCapacitance?: number;
  maxConcentration?: number;
  validRange?: [number, number];
}

export function idealMaterial(o: IdealMaterialOptions = {}): Material {
  const D = o.diffusivity ?? 1e-14;
  const slope = o.ocvSlope ?? -1;
  const u05 = o.ocvAt05 ?? 4.0;
  const i0 = o.exchangeCurrentDensity ?? 1;
  const info = (name: string, unit: string): PropertyInfo => ({
    name,
    unit,
    source: "test material",
    assumption: true,
  });
  return {
    name: "NMC111",
    aliases: [],
    formula: "ideal",
    nominalWindow: { xMin: 0.2, xMax: 1.0 },
    validRange: o.validRange ?? [0.01, 1.0],
    maxConcentration: o.maxConcentration ?? 50000,
    density: 4700,
    molarMass: 0.0966,
    theoreticalCapacity: 1e6,
    practicalCapacity: 6e5,
    volumetricCapacity: 3e9,
    youngsModulus: 150e9,
    poissonRatio: 0.3,
    doubleLayerCapacitance: o.doubleLayerCapacitance ?? 0,
    transferCoefficients: { anodic: 0.5, cathodic: 0.5 },
    referenceElectrolyteConcentration: 1000,
    openCircuitPotential: (x) => u05 + slope * (x - 0.5),
    openCircuitPotentialDerivative: () => slope,
    chemicalDiffusivity: () => D,
    exchangeCurrentDensity: () => i0,
    electronicConductivity: () => 1,
    latticeA: () => 2.86e-10,
    latticeC: () => 14.2e-10,
    properties: { openCircuitPotential: info("OCV", "V") },
  };
}
