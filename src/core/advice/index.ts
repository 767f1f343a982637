// Advice: a calibrated cost model that predicts which rewrite wins at the user's sizes.
export {
  calibrate,
  loadCalibration,
  calibrationPath,
  defaultCacheDir,
  machineKey,
  timeCall,
  compileKernelJs,
  CALIBRATION_SCHEMA,
} from './calibrate.js';
export type { Calibration, CalibrateOptions, CachedCalibrationOptions, Rates, Fn } from './calibrate.js';
export { adviseKernel, adviceSummary, SUGGEST_MARGIN, JS_FIX_MARGIN } from './predict.js';
export type { AdviceTarget, KernelAdvice, LinearCost, TargetPrediction } from './predict.js';
export { kernelWork } from './work.js';
export type { KernelWork, WorkClass } from './work.js';
