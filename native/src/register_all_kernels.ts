// Every kernel of the 'robusta' backend, one file each under kernels/ (named as tfjs names the kernel).
import { type KernelConfig, registerKernel } from '@tensorflow/tfjs-core';
import { absConfig } from './kernels/Abs.js';
import { acosConfig } from './kernels/Acos.js';
import { acoshConfig } from './kernels/Acosh.js';
import { addConfig } from './kernels/Add.js';
import { asinConfig } from './kernels/Asin.js';
import { asinhConfig } from './kernels/Asinh.js';
import { atanConfig } from './kernels/Atan.js';
import { atan2Config } from './kernels/Atan2.js';
import { atanhConfig } from './kernels/Atanh.js';
import { castConfig } from './kernels/Cast.js';
import { ceilConfig } from './kernels/Ceil.js';
import { cosConfig } from './kernels/Cos.js';
import { coshConfig } from './kernels/Cosh.js';
import { eluConfig } from './kernels/Elu.js';
import { equalConfig } from './kernels/Equal.js';
import { erfConfig } from './kernels/Erf.js';
import { expConfig } from './kernels/Exp.js';
import { expm1Config } from './kernels/Expm1.js';
import { fillConfig } from './kernels/Fill.js';
import { floorConfig } from './kernels/Floor.js';
import { floorDivConfig } from './kernels/FloorDiv.js';
import { greaterConfig } from './kernels/Greater.js';
import { greaterEqualConfig } from './kernels/GreaterEqual.js';
import { identityConfig } from './kernels/Identity.js';
import { isFiniteConfig } from './kernels/IsFinite.js';
import { isInfConfig } from './kernels/IsInf.js';
import { isNanConfig } from './kernels/IsNan.js';
import { lessConfig } from './kernels/Less.js';
import { lessEqualConfig } from './kernels/LessEqual.js';
import { logConfig } from './kernels/Log.js';
import { log1pConfig } from './kernels/Log1p.js';
import { logicalAndConfig } from './kernels/LogicalAnd.js';
import { logicalNotConfig } from './kernels/LogicalNot.js';
import { logicalOrConfig } from './kernels/LogicalOr.js';
import { logicalXorConfig } from './kernels/LogicalXor.js';
import { maximumConfig } from './kernels/Maximum.js';
import { minimumConfig } from './kernels/Minimum.js';
import { modConfig } from './kernels/Mod.js';
import { multiplyConfig } from './kernels/Multiply.js';
import { negConfig } from './kernels/Neg.js';
import { notEqualConfig } from './kernels/NotEqual.js';
import { onesLikeConfig } from './kernels/OnesLike.js';
import { powConfig } from './kernels/Pow.js';
import { realDivConfig } from './kernels/RealDiv.js';
import { reciprocalConfig } from './kernels/Reciprocal.js';
import { reluConfig } from './kernels/Relu.js';
import { relu6Config } from './kernels/Relu6.js';
import { reshapeConfig } from './kernels/Reshape.js';
import { roundConfig } from './kernels/Round.js';
import { rsqrtConfig } from './kernels/Rsqrt.js';
import { seluConfig } from './kernels/Selu.js';
import { sigmoidConfig } from './kernels/Sigmoid.js';
import { signConfig } from './kernels/Sign.js';
import { sinConfig } from './kernels/Sin.js';
import { sinhConfig } from './kernels/Sinh.js';
import { softplusConfig } from './kernels/Softplus.js';
import { sqrtConfig } from './kernels/Sqrt.js';
import { squareConfig } from './kernels/Square.js';
import { squaredDifferenceConfig } from './kernels/SquaredDifference.js';
import { stepConfig } from './kernels/Step.js';
import { subConfig } from './kernels/Sub.js';
import { tanConfig } from './kernels/Tan.js';
import { tanhConfig } from './kernels/Tanh.js';
import { zerosLikeConfig } from './kernels/ZerosLike.js';

export const kernelConfigs: KernelConfig[] = [
  absConfig,
  acosConfig,
  acoshConfig,
  addConfig,
  asinConfig,
  asinhConfig,
  atanConfig,
  atan2Config,
  atanhConfig,
  castConfig,
  ceilConfig,
  cosConfig,
  coshConfig,
  eluConfig,
  equalConfig,
  erfConfig,
  expConfig,
  expm1Config,
  fillConfig,
  floorConfig,
  floorDivConfig,
  greaterConfig,
  greaterEqualConfig,
  identityConfig,
  isFiniteConfig,
  isInfConfig,
  isNanConfig,
  lessConfig,
  lessEqualConfig,
  logConfig,
  log1pConfig,
  logicalAndConfig,
  logicalNotConfig,
  logicalOrConfig,
  logicalXorConfig,
  maximumConfig,
  minimumConfig,
  modConfig,
  multiplyConfig,
  negConfig,
  notEqualConfig,
  onesLikeConfig,
  powConfig,
  realDivConfig,
  reciprocalConfig,
  reluConfig,
  relu6Config,
  reshapeConfig,
  roundConfig,
  rsqrtConfig,
  seluConfig,
  sigmoidConfig,
  signConfig,
  sinConfig,
  sinhConfig,
  softplusConfig,
  sqrtConfig,
  squareConfig,
  squaredDifferenceConfig,
  stepConfig,
  subConfig,
  tanConfig,
  tanhConfig,
  zerosLikeConfig,
];

export function registerAllKernels(): void {
  for (const config of kernelConfigs) registerKernel(config);
}
