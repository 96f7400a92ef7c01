import { adaptiveStrategy } from './adaptive.js';
import { baselineStrategy } from './baseline.js';
import type { Strategy } from './types.js';

export function strategyFor(name: 'baseline' | 'adaptive'): Strategy {
  return name === 'baseline' ? baselineStrategy : adaptiveStrategy;
}
