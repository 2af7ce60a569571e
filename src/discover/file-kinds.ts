// Which files audiobg reads, decided from the name alone (no I/O).

export type FileKind =
  | 'swift'
  | 'objc'
  | 'kotlin'
  | 'java'
  | 'plist'
  | 'entitlements'
  | 'pbxproj'
  | 'android-manifest'
  | 'gradle'
  | 'gradle-settings'
  | 'gradle-properties'
  | 'version-catalog'
  | 'package-json'
  | 'expo-config'
  | 'script'
  | 'pubspec'
  | 'pubspec-lock'
  | 'dart'
  | 'package-patch'
  | 'audiobg-config';

/** Directory names that never hold app sources worth checking. */
export const SKIPPED_DIRS = new Set([
  'node_modules',
  'Pods',
  'Carthage',
  'build',
  'DerivedData',
  '.gradle',
  '.git',
  '.hg',
  '.svn',
  '.idea',
  'xcuserdata',
  '.build',
  '.swiftpm',
  '.cxx',
  '.externalNativeBuild',
  '.expo',
  // Flutter: the tool's cache, the SDK that fvm links in, and the plugin links of `pod install`.
  '.dart_tool',
  '.fvm',
  '.symlinks',
  '.pub-cache',
]);

/** Files whose folder builds something: a `build` folder beside one is that build's output. */
const BUILD_SCRIPT = /^(build\.gradle(\.kts)?|settings\.gradle(\.kts)?|package\.json|Package\.swift|pubspec\.yaml|CMakeLists\.txt|Makefile|Podfile)$|\.(xcodeproj|xcworkspace)$/;

/**
 * Whether a folder named `build` is build output (Gradle, Xcode, Flutter, Metro write there) rather
 * than sources: it is, unless it sits inside a `src` / `Sources` tree (a Kotlin/Java package such as
 * `src/main/java/com/acme/build/`) with no build script beside it.
 * `parentRel` is the parent folder relative to the scan root; `siblings` the names in the parent folder.
 */
export function isBuildOutputDir(parentRel: string, siblings: string[]): boolean {
  const segments = parentRel.split(/[\\/]/).filter(Boolean);
  const inSources = segments.some((s) => s === 'src' || s === 'Sources');
  if (!inSources) return true;
  return siblings.some((n) => BUILD_SCRIPT.test(n));
}

export function fileKind(name: string, parentDir: string): FileKind | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.swift')) return 'swift';
  if (lower.endsWith('.m') || lower.endsWith('.mm') || lower.endsWith('.h')) return 'objc';
  if (lower.endsWith('.kt')) return 'kotlin';
  if (lower.endsWith('.java')) return 'java';
  if (name === 'project.pbxproj') return 'pbxproj';
  if (lower.endsWith('.entitlements')) return 'entitlements';
  if (lower.endsWith('.plist')) return 'plist';
  if (name === 'AndroidManifest.xml') return 'android-manifest';
  if (name === 'build.gradle' || name === 'build.gradle.kts') return 'gradle';
  if (name === 'settings.gradle' || name === 'settings.gradle.kts') return 'gradle-settings';
  if (name === 'gradle.properties') return 'gradle-properties';
  if (lower.endsWith('.versions.toml')) return 'version-catalog';
  if (name === 'package.json') return 'package-json';
  if (/^app\.(json|config\.(js|cjs|mjs|ts))$/.test(name)) return 'expo-config';
  if (name === 'audiobg.config.json') return 'audiobg-config';
  if (name === 'pubspec.yaml') return 'pubspec';
  if (name === 'pubspec.lock') return 'pubspec-lock';
  if (lower.endsWith('.dart')) return 'dart';
  // patch-package: `patches/<name>+<version>.patch` changes an installed library's own code.
  if (lower.endsWith('.patch') && /(^|[\\/])patches$/.test(parentDir) && name.includes('+')) return 'package-patch';
  if (/\.(js|jsx|ts|tsx|mjs|cjs|mts|cts)$/.test(lower) && !lower.endsWith('.d.ts')) return 'script';
  return null;
}
