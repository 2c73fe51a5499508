export {
  buildTestImages, pushImage, saveImageTar, BUSYBOX_INDEX_HTML, startRegistry, bcryptHash, startContainerd,
  startCriTestEnv, criUnavailableReason, criTestSkip, requireCri,
} from './harness.js';
export type { TestImages, TestRegistry, ContainerdOptions, TestContainerd, CriTestEnv } from './harness.js';
