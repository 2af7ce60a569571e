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
  value: string;
  configuration: string;
  location: Location;
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
}
