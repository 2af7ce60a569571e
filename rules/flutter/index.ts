import type { Rule } from '../../src/engine/rule.js';
import audioServiceActivityMissing from './audio-service-activity-missing.js';
import audioServiceConfigInvalid from './audio-service-config-invalid.js';
import audioServiceNotDeclared from './audio-service-not-declared.js';
import backgroundInitMissing from './background-init-missing.js';
import mediaItemTagMissing from './media-item-tag-missing.js';

// One import per rule file in this folder, kept in id order.
export const flutterRules: Rule[] = [audioServiceActivityMissing, audioServiceConfigInvalid, audioServiceNotDeclared, backgroundInitMissing, mediaItemTagMissing];
