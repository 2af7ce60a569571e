import type { Rule } from '../../src/engine/rule.js';
import audioFocusNotRequested from './audio-focus-not-requested.js';
import becomingNoisyInManifest from './becoming-noisy-in-manifest.js';
import bootCompletedMediaPlayback from './boot-completed-media-playback.js';
import foregroundServicePermissionMissing from './foreground-service-permission-missing.js';
import mediaButtonReceiverUnresolvable from './media-button-receiver-unresolvable.js';
import mediaPlaybackPermissionMissing from './media-playback-permission-missing.js';
import serviceTypeMissing from './service-type-missing.js';
import sessionNotReleased from './session-not-released.js';
import sessionServiceIntentFilterMissing from './session-service-intent-filter-missing.js';
import sessionServiceNotExported from './session-service-not-exported.js';
import startForegroundTypeMissing from './start-foreground-type-missing.js';
import stopForegroundRemovesNotification from './stop-foreground-removes-notification.js';
import wakeLockPermissionMissing from './wake-lock-permission-missing.js';

// One import per rule file in this folder, kept in id order.
export const androidRules: Rule[] = [
  audioFocusNotRequested,
  becomingNoisyInManifest,
  bootCompletedMediaPlayback,
  foregroundServicePermissionMissing,
  mediaButtonReceiverUnresolvable,
  mediaPlaybackPermissionMissing,
  serviceTypeMissing,
  sessionNotReleased,
  sessionServiceIntentFilterMissing,
  sessionServiceNotExported,
  startForegroundTypeMissing,
  stopForegroundRemovesNotification,
  wakeLockPermissionMissing,
];
