/**
 * Closed-form stresses used both as quick estimates and as references for the grid solvers.
 *
 * - Diffusion-induced stress in an isotropic elastic sphere with a radial concentration (or
 *   isotropic eigenstrain) profile and a traction-free surface: Cheng & Verbrugge, J. Power
 *   Sources 190 (2009) 453; Christensen & Newman, J. Electrochem. Soc. 153 (2006) A1019
 *   (REFERENCE §4). With the linear chemical strain e(r) = (Ω/3)(c − c0), k = ΩE/(3(1−ν)) and
 *   I(r) = ∫₀ʳ (c − c0) r′² dr′:
 *     σ_r = 2k [I(R)/R³ − I(r)/r³],  σ_θ = k [2I(R)/R³ + I(r)/r³ − (c − c0)].
 * - The plane-strain cylinder analogue (Timoshenko & Goodier, Theory of Elasticity, 3rd ed.
 *   1970, §150, thermal stress in a long cylinder with ε_z = 0), used to check the 2D solver:
 *     σ_r = E/(1−ν)[(1/b²)∫₀ᵇ e r dr − (1/r²)∫₀ʳ e r dr],
 *     σ_θ = E/(1−ν)[(1/b²)∫₀ᵇ e r dr + (1/r²)∫₀ʳ e r dr − e],  σ_z = ν(σ_r + σ_θ) − E e.
 * - Eshelby (Proc. R. Soc. A 241 (1957) 376): uniform stress inside a spherical inclusion with
 *   eigenstrain ε* in an infinite matrix of the same isotropic moduli,
 *     σ = −(2E/(3(1−ν)))·(tr ε* ÷ 3)·I − 2μ(1−β)·dev ε*,  β = 2(4 − 5ν)/(15(1 − ν)).
 *   For a grain with ε* = diag(ε_a, ε_a, ε_c) the deviatoric (misfit) part gives
 *   σ_cc = −(4/3)μ(1−β)(ε_c − ε_a) = −40.3 GPa·(ε_c − ε_a) and σ_aa = −σ_cc/2 at E = 150 GPa,
 *   ν = 0.3 (REFERENCE §4).
 */

/** Elastic constants of an isotropic solid. */
export interface IsotropicElasticity {
  /** Young's modulus E [Pa]. */
  youngsModulus: number;
  /** Poisson's ratio ν [-]. */
  poissonRatio: number;
}

/** Radial and hoop stress profiles [Pa] on the caller's radial grid. */
export interface RadialStress {
  radial: Float64Array;
  hoop: Float64Array;
}

/**
 * Cumulative ∫₀^{r_i} e(r)·r^p dr for a profile e given at nodes r_0 = 0 < r_1 < … and taken
 * piecewise linear between nodes (exact integration of the interpolant), p = 1 or 2.
 */
function cumulativeMoment(radii: ArrayLike<number>, values: ArrayLike<number>, p: 1 | 2): Float64Array {
  const n = radii.length;
  const out = new Float64Array(n);
  const q = p + 1;
  const q2 = p + 2;
  for (let i = 1; i < n; i++) {
    const r0 = radii[i - 1];
    const r1 = radii[i];
    const h = r1 - r0;
    const slope = (values[i] - values[i - 1]) / h;
    const intercept = values[i - 1] - slope * r0;
    out[i] = out[i - 1] + (intercept * (r1 ** q - r0 ** q)) / q + (slope * (r1 ** q2 - r0 ** q2)) / q2;
  }
  return out;
}

function checkRadialGrid(radii: ArrayLike<number>, values: ArrayLike<number>): void {
  if (radii.length < 2 || radii.length !== values.length)
    throw new RangeError("radial grid and profile must have equal length ≥ 2");
  if (radii[0] !== 0) throw new RangeError("radial grid must start at r = 0");
  for (let i = 1; i < radii.length; i++)
    if (!(radii[i] > radii[i - 1])) throw new RangeError("radial grid must increase");
}

/**
 * Stress in a traction-free isotropic sphere with an isotropic linear eigenstrain profile e(r)
 * [-] given at radii r [m] (r[0] = 0, last node = surface R); profile piecewise linear.
 * Equivalent to Cheng & Verbrugge 2009 with e = Ω(c − c0)/3: σ_r = (2E/(1−ν))[J(R)/R³ − J(r)/r³],
 * σ_θ = (E/(1−ν))[2J(R)/R³ + J(r)/r³ − e(r)], J(r) = ∫₀ʳ e r′² dr′; at r = 0, J/r³ → e(0)/3.
 */
export function sphereEigenstrainStress(
  radii: ArrayLike<number>,
  eigenstrain: ArrayLike<number>,
  elastic: IsotropicElasticity,
): RadialStress {
  checkRadialGrid(radii, eigenstrain);
  const n = radii.length;
  const m = cumulativeMoment(radii, eigenstrain, 2);
  const R = radii[n - 1];
  const k = elastic.youngsModulus / (1 - elastic.poissonRatio);
  const mean = m[n - 1] / R ** 3;
  const radial = new Float64Array(n);
  const hoop = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const local = i === 0 ? eigenstrain[0] / 3 : m[i] / radii[i] ** 3;
    radial[i] = 2 * k * (mean - local);
    hoop[i] = k * (2 * mean + local - eigenstrain[i]);
  }
  return { radial, hoop };
}

/**
 * Diffusion-induced stress in a sphere (Cheng & Verbrugge 2009, eqns for σ_r, σ_θ).
 * @param radii radial nodes [m], radii[0] = 0, last = particle radius R
 * @param concentration c(r) [mol/m³] at the nodes
 * @param partialMolarVolume Ω [m³/mol]
 * @param referenceConcentration stress-free c0 [mol/m³]
 */
export function sphereDiffusionStress(
  radii: ArrayLike<number>,
  concentration: ArrayLike<number>,
  elastic: IsotropicElasticity,
  partialMolarVolume: number,
  referenceConcentration: number,
): RadialStress {
  const e = new Float64Array(concentration.length);
  for (let i = 0; i < e.length; i++)
    e[i] = (partialMolarVolume * (concentration[i] - referenceConcentration)) / 3;
  return sphereEigenstrainStress(radii, e, elastic);
}

/**
 * Maximum |σ| of the quasi-steady galvanostatic (parabolic) profile c = A + B·r²/R²,
 * B = J·R/(2D): |σ|max = Ω·E·J·R/(15·D·(1−ν)) [Pa] (REFERENCE §4; Christensen & Newman 2006).
 * @param molarFlux surface flux J [mol/(m²·s)]
 * @param radius R [m]
 * @param diffusivity D [m²/s]
 */
export function parabolicProfileMaxStress(
  elastic: IsotropicElasticity,
  partialMolarVolume: number,
  molarFlux: number,
  radius: number,
  diffusivity: number,
): number {
  return (
    (partialMolarVolume * elastic.youngsModulus * Math.abs(molarFlux) * radius) /
    (15 * diffusivity * (1 - elastic.poissonRatio))
  );
}

/** In-plane radial/hoop and axial stress [Pa] of a plane-strain cylinder. */
export interface CylinderStress extends RadialStress {
  axial: Float64Array;
}

/**
 * Plane-strain (ε_z = 0) traction-free long cylinder with isotropic linear eigenstrain e(r)
 * (Timoshenko & Goodier §150 with αT → e). radii[0] = 0, last node = outer radius b [m].
 */
export function cylinderEigenstrainStress(
  radii: ArrayLike<number>,
  eigenstrain: ArrayLike<number>,
  elastic: IsotropicElasticity,
): CylinderStress {
  checkRadialGrid(radii, eigenstrain);
  const n = radii.length;
  const m = cumulativeMoment(radii, eigenstrain, 1);
  const b = radii[n - 1];
  const E = elastic.youngsModulus;
  const nu = elastic.poissonRatio;
  const k = E / (1 - nu);
  const mean = m[n - 1] / (b * b);
  const radial = new Float64Array(n);
  const hoop = new Float64Array(n);
  const axial = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const local = i === 0 ? eigenstrain[0] / 2 : m[i] / (radii[i] * radii[i]);
    radial[i] = k * (mean - local);
    hoop[i] = k * (mean + local - eigenstrain[i]);
    axial[i] = nu * (radial[i] + hoop[i]) - E * eigenstrain[i];
  }
  return { radial, hoop, axial };
}

/** Eshelby's β = 2(4 − 5ν)/(15(1 − ν)) for a sphere [-]. */
export function eshelbyBeta(poissonRatio: number): number {
  return (2 * (4 - 5 * poissonRatio)) / (15 * (1 - poissonRatio));
}

/** Stress inside one spherical grain (crystal frame) [Pa]. */
export interface EshelbyGrainStress {
  /** Total σ along c. */
  cc: number;
  /** Total σ in the basal plane. */
  aa: number;
  /** Hydrostatic part (from the isotropic part of ε*). */
  hydrostatic: number;
  /** Misfit (deviatoric) part along c: −(4/3)μ(1−β)(ε_c − ε_a). */
  misfitCC: number;
  /** Misfit part in the basal plane: −misfitCC/2. */
  misfitAA: number;
}

/**
 * Uniform stress inside a spherical grain with eigenstrain diag(ε_a, ε_a, ε_c) embedded in an
 * infinite isotropic matrix of the same moduli (Eshelby 1957). The misfit part is what a grain
 * feels inside a polycrystal that expands by the same mean amount (an upper bound: the
 * neighbours are taken as an unstrained matrix for the deviatoric part).
 */
export function eshelbyGrainStress(
  strainA: number,
  strainC: number,
  elastic: IsotropicElasticity,
): EshelbyGrainStress {
  const E = elastic.youngsModulus;
  const nu = elastic.poissonRatio;
  const mu = E / (2 * (1 + nu));
  const beta = eshelbyBeta(nu);
  const meanStrain = (2 * strainA + strainC) / 3;
  const hydrostatic = (-2 * E * meanStrain) / (3 * (1 - nu));
  const misfitCC = (-4 / 3) * mu * (1 - beta) * (strainC - strainA);
  const misfitAA = -misfitCC / 2;
  return { cc: hydrostatic + misfitCC, aa: hydrostatic + misfitAA, hydrostatic, misfitCC, misfitAA };
}

/**
 * Electrochemical-shock estimate for anisotropic polycrystals: the grain size d_c [m] above which
 * the misfit strain energy of a grain exceeds the energy of cracking its boundary.
 * Criterion of Clarke (Acta Metall. 28 (1980) 913) for microcracking from anisotropic shape
 * change, d_c ∝ Γ/(E·Δε²), applied to intercalation by Woodford, Carter & Chiang, Energy
 * Environ. Sci. 5 (2012) 8014. Our constant (an assumption, order of magnitude): the Eshelby
 * misfit energy density w = (2/3)μ(1−β)Δε² of a spherical grain (volume πd³/6) released into
 * half its surface (πd²/2, each boundary is shared), w·πd³/6 = G_gb·πd²/2 ⇒ d_c = 3·G_gb/w.
 * @param boundaryFractureEnergy G_gb [J/m²]
 * @param strainMismatch Δε = ε_c − ε_a [-]
 */
export function criticalGrainSizeElectrochemicalShock(
  boundaryFractureEnergy: number,
  strainMismatch: number,
  elastic: IsotropicElasticity,
): number {
  const mu = elastic.youngsModulus / (2 * (1 + elastic.poissonRatio));
  const w = (2 / 3) * mu * (1 - eshelbyBeta(elastic.poissonRatio)) * strainMismatch * strainMismatch;
  return (3 * boundaryFractureEnergy) / w;
}
