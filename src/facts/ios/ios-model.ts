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

/**
 * What a target is, for the background-audio rules:
 * - `app`: runs as an app and is judged on its own Info.plist (applications, App Clips, watch
 *   apps and WatchKit extensions; also a folder recognised by its Info.plist);
 * - `extension`: an app extension (widget, intents, notification service...): its own process and
 *   Info.plist; the containing app's background modes do not apply to it;
 * - `library`: code that runs inside the apps and extensions that link or embed it (framework,
 *   static or dynamic library, local Swift package); never judged as an app of its own;
 * - `test`: unit and UI test bundles; `other`: command-line tools, XPC services and the like.
 */
export type IosTargetRole = 'app' | 'extension' | 'library' | 'test' | 'other';

/** Framework, library or Swift package code that an app or extension links or embeds. */
export interface LinkedCode {
  /** The framework / library target, or the package product. */
  name: string;
  kind: 'framework' | 'library' | 'package';
  /** `embed`: copied into the app bundle (Embed Frameworks); `link`: linked or built as a dependency only. */
  via: 'embed' | 'link';
  /** Module names the app imports it by. */
  modules: string[];
  /** Absolute paths of the Swift / Objective-C files compiled into it. */
  files: string[];
  /** For a package product: the package module (target) of each file. */
  fileModules?: Map<string, string>;
}

export interface IosTarget {
  name: string;
  /** Absent means `app` (a folder recognised by its Info.plist, or a model built by hand). */
  role?: IosTargetRole;
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
  /**
   * Facts extracted from those sources' syntax trees; for an app or extension, together with the
   * code of the frameworks, libraries and Swift packages it links (see `linked`), since all of it
   * runs in the same process under the same Info.plist.
   */
  code: IosSourceFacts;
  /** For an app or extension: the framework / library / package code it links or embeds. */
  linked?: LinkedCode[];
  /** For a library: names of the app and extension targets that link or embed it (empty: none in the scan). */
  hosts?: string[];
  /** Where to point a finding about the target when no key exists to point at (the target in pbxproj, or the Info.plist). */
  anchor: Location;
  /** Build configurations, in project order. Absent for a folder recognised by its Info.plist alone. */
  configurations?: IosConfiguration[];
}
