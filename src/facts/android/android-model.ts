// The Android side of the project model: one AndroidApp per Gradle application module, with its
// merged manifest (app + library modules of the same build), its resolved SDK levels and the facts
// extracted from the Kotlin/Java sources of the app and its library modules. Plain data with locations.

import type { Location } from '../../findings/finding.js';

export interface AndroidApp {
  /** Display name: the application module's path, e.g. "app". */
  name: string;
  /** Absolute path of the application module. */
  root: string;
  /** Gradle path of the module, e.g. ":app". */
  gradlePath: string;
  /** Folder of the Gradle build (where settings.gradle(.kts) lives), or the module itself when standalone. */
  buildRoot: string;
  /** The module's build script. */
  buildFile: string;
  targetSdk: SdkLevel;
  compileSdk: SdkLevel | null;
  /** minSdk when it can be read (the module, its convention plugins, or the manifest); null otherwise. */
  minSdk?: SdkLevel | null;
  /**
   * Set when no application plugin was recognised and the module was taken for an app on weaker
   * evidence (it sets applicationId, or its manifest declares components): the reason, in words.
   */
  kindInferred?: string;
  namespace: string | null;
  applicationId: string | null;
  /** Version of androidx.media3:media3-exoplayer declared in the build, when it can be read. */
  media3: DependencyVersion | null;
  /** Library modules whose manifests and sources are merged into this app (absolute folders). */
  libraryModules: string[];
  /**
   * How library modules were chosen: `project-dependencies` follows `project(":x")` / `projects.x`
   * dependencies transitively; `whole-build` falls back to every other module of the build when the
   * app module declares no project dependency.
   */
  libraryResolution: 'project-dependencies' | 'whole-build' | 'none';
  /** Permissions merged from known external libraries (AAR manifests we cannot read), with the reason. */
  implicitPermissions: ImplicitPermission[];
  manifest: MergedManifest;
  sources: SourceFacts;
}

export interface SdkLevel {
  value: number;
  /** False when the level could not be read and `value` is an assumption (the newest level). */
  resolved: boolean;
  /** Where the value came from, e.g. "app/build.gradle.kts" or "gradle/libs.versions.toml (versions.targetSdk)". */
  source: string;
  location?: Location;
  /** When unresolved: why, and what the assumed value stands for (e.g. a Flutter SDK default). */
  assumption?: string;
}

export interface DependencyVersion {
  version: string;
  location?: Location;
}

export interface ImplicitPermission {
  permission: string;
  /** e.g. "androidx.work:work-runtime". */
  library: string;
}

// ---- manifests ----

export interface ManifestFile {
  file: string;
  /** Absolute folder of the module that owns the manifest. */
  module: string;
  /** True when the module is the application module. */
  fromApp: boolean;
  /** Source set folder name: main, debug, a flavour... ('' for a manifest outside src/). */
  sourceSet: string;
  /** Package used to resolve relative class names (manifest `package`, else the module's namespace). */
  packageName: string | null;
  /** The `<manifest>` element. */
  location: Location;
}

export interface PermissionDecl {
  name: string;
  location: Location;
  module: string;
  fromApp: boolean;
}

export interface IntentAction {
  name: string;
  location: Location;
}

export interface ComponentDecl {
  kind: 'service' | 'receiver';
  /** Class name as written in android:name. */
  rawName: string;
  /** Fully qualified class name (relative names resolved with the declaring manifest's package). */
  name: string;
  /** The highest-priority declaration's element. */
  location: Location;
  /** Every manifest element that declares this component (app first, then library modules). */
  declarations: Location[];
  /** `android:foregroundServiceType` split on `|`; null when no declaration sets it. */
  foregroundServiceTypes: string[] | null;
  foregroundServiceTypeLocation?: Location;
  /** Raw `android:exported` value, or null when absent. */
  exported: string | null;
  exportedLocation?: Location;
  /** Raw `android:enabled` value, or null when absent. */
  enabled: string | null;
  /** Actions of all `<intent-filter>`s (union over declarations). */
  actions: IntentAction[];
  hasIntentFilter: boolean;
  /** Module folder of the highest-priority declaration. */
  module: string;
  fromApp: boolean;
}

export interface MergedManifest {
  files: ManifestFile[];
  /** Permissions after `tools:node="remove"` is applied, each with every place it is declared. */
  permissions: Map<string, PermissionDecl[]>;
  /** Permissions a manifest removes with `tools:node="remove"`. */
  removedPermissions: Map<string, Location>;
  services: ComponentDecl[];
  receivers: ComponentDecl[];
  /** The `<manifest>` element of the app module's main manifest (or its first manifest). */
  appManifest: Location | null;
}

// ---- sources ----

/** A constant-folded expression, as far as audiobg can fold it. */
export type ConstValue =
  | { kind: 'bool'; value: boolean; text: string }
  | { kind: 'int'; value: number; text: string }
  | { kind: 'string'; value: string; text: string }
  /** A name audiobg cannot see the value of (a platform constant such as ServiceInfo.FOREGROUND_SERVICE_TYPE_MEDIA_PLAYBACK). */
  | { kind: 'name'; name: string; qualifier: string | null; text: string }
  /** `a or b` (Kotlin) / `a | b` (Java). */
  | { kind: 'or'; parts: ConstValue[]; text: string }
  /** `if (c) a else b` / `c ? a : b`. */
  | { kind: 'cond'; condition: string; then: ConstValue; else: ConstValue; text: string }
  | { kind: 'unknown'; text: string };

export interface SourceArg {
  /** Source text of the argument, comments removed. */
  text: string;
  /** Kotlin named argument label (`handleAudioFocus = true`). */
  label: string | null;
  value: ConstValue;
  /** Classes referenced as `X::class.java` / `X::class` / `X.class` inside the argument. */
  classLiterals: string[];
}

export interface Guard {
  /** Stable id of the branch (unique per file). */
  id: number;
  /** Text of the condition (comments removed); for `when`/`switch` cases the case labels. */
  condition: string;
  branch: 'then' | 'else' | 'case';
  /** `when (subject)` / `switch (subject)` text. */
  subject?: string;
  /** The condition / case label. */
  location?: Location;
}

export interface SourceCall {
  /** Called name: `startForeground`, `release`; for constructors the class name (`Builder`, `MediaPlayer`). */
  name: string;
  /** Receiver text (comments removed), e.g. `ServiceCompat`, `mediaSession?`, `ExoPlayer`; null for a bare call. */
  receiver: string | null;
  args: SourceArg[];
  /** `new X(...)` in Java, or a Kotlin call whose name starts with an upper-case letter. */
  constructor: boolean;
  location: Location;
  /** Qualified name of the innermost named class around the call. */
  className: string;
  /** Innermost function first; empty for class-level initialisers. */
  functionChain: string[];
  /** Enclosing branches, outermost first. */
  guards: Guard[];
  /** Receiver of an enclosing Kotlin scope function (`x.run { }`, `with(x) { }`), for receiver-less calls. */
  scopeReceiver: string | null;
  /** Name of the property / variable the call's value is assigned to, if any (`player = ExoPlayer.Builder(...)`). */
  assignedTo: string | null;
  /** For a call in a class-level property / field initializer (a listener lambda or object), that property. */
  initializer?: string;
  /** Parameter names of the innermost function around the call (also an anonymous object's override). */
  fnParams?: string[];
}

export interface SourceFunction {
  name: string;
  location: Location;
  /** Calls directly in this function (including lambdas and anonymous objects in it, not nested named classes). */
  calls: SourceCall[];
  /** Classes referenced as class literals in the function. */
  classLiterals: string[];
  /** Parameter names, in order. */
  params: string[];
}

/** A property / field declared in a class body (not a local variable). */
export interface SourceField {
  name: string;
  /** Declared type as written, generic arguments and `?` dropped (`ExoPlayer`, `Player`); null when inferred. */
  type: string | null;
  location: Location;
}

export interface SourceClass {
  name: string;
  /** package.Outer.Inner */
  qualifiedName: string;
  /** package.Outer$Inner, the form the manifest uses for nested classes. */
  binaryName: string;
  packageName: string;
  file: string;
  language: 'kotlin' | 'java';
  kind: 'class' | 'object' | 'interface' | 'enum';
  location: Location;
  /** Supertypes as written (`MediaSessionService`, `Player.Listener`, `androidx.media3.session.MediaSessionService`). */
  supertypes: string[];
  /** Qualified name of the enclosing class for nested classes. */
  outer: string | null;
  functions: SourceFunction[];
  /** Properties / fields of the class body (companion object members included). */
  fields: SourceField[];
  /** All calls in the class body (functions, initialisers, anonymous objects), not nested named classes. */
  calls: SourceCall[];
  /** Imports of the file. */
  imports: string[];
}

export interface SourceFacts {
  classes: SourceClass[];
  /** Number of Kotlin/Java files that passed the prefilter and were parsed. */
  parsedFiles: number;
}
