export {
  type DiscoveredPackage,
  type Discovery,
  type DiscoveryOptions,
  type DiscoveryProblem,
  discoverNodes,
} from './discover.js';
export { findNodePackages, type NodePackage } from './find-packages.js';
