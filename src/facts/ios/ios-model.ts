// The iOS side of the project model: apps, their targets, and what each target's
// configuration and sources say about audio.

import type { ProjectFile } from '../../discover/find-files.js';
import type { Location } from '../../findings/finding.js';
import type { PlistDocument } from '../../parse/plist.js';
import type { IosSourceFacts } from './source-facts.js';

export interface IosApp {
  /** Display name: the Xcode project or folder name. */
  name: string;
  /** Absolute path of the folder that holds the app (where the .xcodeproj or Info.plist lives). */
  root: string;
  /** The project's project.pbxproj, or null for a folder recognised by its Info.plist alone. */
  pbxproj: ProjectFile | null;
  targets: IosTarget[];
}

export interface PlistRef {
  file: ProjectFile;
  /** Build configurations that use this file (empty when there is no Xcode project). */
  configurations: string[];
  doc: PlistDocument | null;
}

/** A build setting as written in project.pbxproj, with its position. */
export interface BuildSettingRef {
  name: string;
  /** The value as written (an array value joined with single spaces). */
  value: string;
  configuration: string;
  /** Where the setting's name is written in project.pbxproj. */
  location: Location;
  /** The items of an array value (or the single string). */
  values?: string[];
  /** Where the value starts. */
  valueLocation?: Location;
  /** Written on the project (inherited by every target) or on the target itself. */
  level?: 'project' | 'target';
}

/** One build configuration (Debug, Release...) of a target in an Xcode project. */
export interface IosConfiguration {
  name: string;
  /** The Info.plist INFOPLIST_FILE names for this configuration (null when none is set or it is not in the checkout). */
  infoPlist: PlistRef | null;
  /** INFOPLIST_FILE after macro expansion, absolute; null when not set. */
  infoPlistPath: string | null;
  /** GENERATE_INFOPLIST_FILE = YES: Xcode writes default keys and INFOPLIST_KEY_* values into the Info.plist. */
  generatesInfoPlist: boolean;
  /** The CODE_SIGN_ENTITLEMENTS file of this configuration. */
  entitlements: PlistRef | null;
  /** CODE_SIGN_ENTITLEMENTS after macro expansion, absolute; null when not set. */
  entitlementsPath: string | null;
  /** Effective build settings of this configuration (project level overlaid with target level, .xcconfig files included). */
  settings: BuildSettingRef[];
  /** A base .xcconfig file (or one it includes) could not be read, so some settings may be unknown. */
  settingsIncomplete?: boolean;
}

export interface IosTarget {
  name: string;
  /** e.g. com.apple.product-type.application; null when unknown (no Xcode project). */
  productType: string | null;
  /** Info.plist files of the target (one per distinct file across build configurations). */
  infoPlists: PlistRef[];
  /** GENERATE_INFOPLIST_FILE = YES in any configuration. */
  generatesInfoPlist: boolean;
  /** INFOPLIST_KEY_* and other settings that shape the effective Info.plist. */
  buildSettings: BuildSettingRef[];
  entitlements: PlistRef[];
  /** Swift and Objective-C files compiled into the target. */
  sources: ProjectFile[];
  /** Facts extracted from those sources' syntax trees. */
  code: IosSourceFacts;
  /** Where to point a finding about the target when no key exists to point at (the target in pbxproj, or the Info.plist). */
  anchor: Location;
  /** Build configurations, in project order. Absent for a folder recognised by its Info.plist alone. */
  configurations?: IosConfiguration[];
}
