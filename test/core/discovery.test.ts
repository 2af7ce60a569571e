// Discovery: which folders are walked. A folder named `build` is build output beside a build script
// or outside any source tree, but a Kotlin/Java package (or any source folder) inside `src/`.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findFiles } from '../../src/discover/find-files.js';
import { isBuildOutputDir } from '../../src/discover/file-kinds.js';
import { FIXTURES } from '../support/cli.js';

describe('discovery: build folders', () => {
  it('walks a `build` package inside a source tree, skips build output beside a build script or outside src', () => {
    const root = path.join(FIXTURES, 'core/build-folders');
    const rels = findFiles(root).files.map((f) => f.rel).sort();
    expect(rels).toContain('app/src/main/java/com/acme/build/BuildInfo.kt');
    expect(rels).toContain('web/src/build/index.ts');
    // Near misses: Gradle output of app/, of a module nested under src/, and Xcode output.
    expect(rels).not.toContain('app/build/generated/source/kapt/Generated.kt');
    expect(rels).not.toContain('lib/src/tools/build/Out.kt');
    expect(rels).not.toContain('ios/build/Release/Built.swift');
  });

  it('decides from the parent folder and its entries', () => {
    expect(isBuildOutputDir('app', ['build.gradle.kts', 'src'])).toBe(true);
    expect(isBuildOutputDir('', ['package.json'])).toBe(true);
    expect(isBuildOutputDir('app/src/main/java/com/acme', ['Main.kt'])).toBe(false);
    expect(isBuildOutputDir('Sources/Player', ['Player.swift'])).toBe(false);
    expect(isBuildOutputDir('src/mobile', ['App.xcodeproj', 'Podfile'])).toBe(true);
  });
});
