import type { Rule } from '../../src/engine/rule.js';
import backgroundModeUnknown from './background-mode-unknown.js';
import infoplistKeyIgnored from './infoplist-key-ignored.js';
import ambientCategory from './ambient-category.js';
import backgroundAudioModeMissing from './background-audio-mode-missing.js';
import categoryModeInvalid from './category-mode-invalid.js';
import categoryNotSet from './category-not-set.js';
import categoryOptionInvalid from './category-option-invalid.js';
import interruptionNotHandled from './interruption-not-handled.js';
import microphoneUsageMissing from './microphone-usage-missing.js';
import nowPlayingMissing from './now-playing-missing.js';
import nowPlayingMixable from './now-playing-mixable.js';
import pttBackgroundModeMissing from './ptt-background-mode-missing.js';
import pttEntitlementMissing from './ptt-entitlement-missing.js';
import pttManualActivation from './ptt-manual-activation.js';
import pttMixWithOthers from './ptt-mix-with-others.js';
import routeChangeNotHandled from './route-change-not-handled.js';
import sessionErrorIgnored from './session-error-ignored.js';
import sessionNotActivated from './session-not-activated.js';

// One import per rule file in this folder, kept in id order.
export const iosRules: Rule[] = [
  ambientCategory,
  backgroundAudioModeMissing,
  backgroundModeUnknown,
  categoryModeInvalid,
  categoryNotSet,
  categoryOptionInvalid,
  infoplistKeyIgnored,
  interruptionNotHandled,
  microphoneUsageMissing,
  nowPlayingMissing,
  nowPlayingMixable,
  pttBackgroundModeMissing,
  pttEntitlementMissing,
  pttManualActivation,
  pttMixWithOthers,
  routeChangeNotHandled,
  sessionErrorIgnored,
  sessionNotActivated,
];
