import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel } from './support.js';
import {
  backgroundModes,
  configurationsMissingInfoPlistString,
  effectiveConfigurations,
  entitlementKey,
  entitlementsFor,
  hasInfoPlistString,
  infoPlistAnchor,
  infoPlistKey,
} from '../../src/facts/ios/effective-config.js';
import { expandSettingValue } from '../../src/facts/ios/xcode-project.js';

describe('Xcode 15 project with groups (objectVersion 56)', async () => {
  const m = await loadModel('ios-config/xcode15-groups');
  const app = m.app('Radio');
  const radio = m.target('Radio', 'Radio');
  const tests = m.target('Radio', 'RadioTests');

  it('finds one app rooted at the folder holding the .xcodeproj, with its native targets', () => {
    expect(m.model.ios.map((a) => [a.name, m.rel(a.root), a.pbxproj && m.rel(a.pbxproj.path)])).toEqual([['Radio', '', 'Radio.xcodeproj/project.pbxproj']]);
    expect(app.targets.map((t) => [t.name, t.productType])).toEqual([
      ['Radio', 'com.apple.product-type.application'],
      ['RadioTests', 'com.apple.product-type.bundle.unit-test'],
    ]);
    expect(m.model.problems).toEqual([]);
  });

  it('anchors each target at its `name =` line in project.pbxproj', () => {
    expect(`${m.rel(radio.anchor.file)}:${radio.anchor.line}`).toBe('Radio.xcodeproj/project.pbxproj:124');
    expect(`${m.rel(tests.anchor.file)}:${tests.anchor.line}`).toBe('Radio.xcodeproj/project.pbxproj:139');
  });

  it('resolves Sources build phase files through nested and path-less groups and SOURCE_ROOT', () => {
    // Extras/Equalizer.swift is in no target and unknown to the project: attached to the app target.
    expect(radio.sources.map((f) => m.rel(f.path))).toEqual([
      'Radio/AppDelegate.swift',
      'Radio/Audio/Player.swift',
      'Radio/Extras/Equalizer.swift',
      'Shared/Shared.swift',
    ]);
    expect(tests.sources.map((f) => m.rel(f.path))).toEqual(['RadioTests/RadioTests.swift']);
  });

  it('expands $(CONFIGURATION), $(SRCROOT) and ${SRCROOT} in INFOPLIST_FILE per configuration', () => {
    expect(radio.configurations!.map((c) => [c.name, c.infoPlistPath && m.rel(c.infoPlistPath)])).toEqual([
      ['Debug', 'Radio/Info-Debug.plist'],
      ['Release', 'Radio/Info-Release.plist'],
    ]);
    expect(radio.infoPlists.map((r) => [m.rel(r.file.path), r.configurations])).toEqual([
      ['Radio/Info-Debug.plist', ['Debug']],
      ['Radio/Info-Release.plist', ['Release']],
    ]);
    expect(radio.generatesInfoPlist).toBe(false);
  });

  it('maps CODE_SIGN_ENTITLEMENTS per configuration, expanding $(TARGET_NAME) and $(PRODUCT_NAME)', () => {
    expect(radio.entitlements.map((r) => [m.rel(r.file.path), r.configurations])).toEqual([
      ['Radio/RadioDebug.entitlements', ['Debug']],
      ['Radio/Radio.entitlements', ['Release']],
    ]);
    expect(entitlementsFor(radio, 'Release').map((r) => m.rel(r.file.path))).toEqual(['Radio/Radio.entitlements']);
    const aps = effectiveConfigurations(radio).map((c) => {
      const v = c.entitlementValue('aps-environment')?.value;
      return [c.name, v?.type === 'string' ? v.value : null];
    });
    expect(aps).toEqual([
      ['Debug', 'development'],
      ['Release', 'production'],
    ]);
    expect(entitlementKey(radio, 'aps-environment')).toHaveLength(2);
  });

  it('inherits project-level settings and lets the target win', () => {
    const debug = radio.configurations![0]!;
    const sdk = debug.settings.find((s) => s.name === 'SDKROOT')!;
    expect([sdk.value, sdk.level, sdk.location.line]).toEqual(['iphoneos', 'project', 223]);
    const testSdk = tests.configurations![0]!.settings.find((s) => s.name === 'SDKROOT')!;
    expect([testSdk.value, testSdk.level]).toEqual(['iphonesimulator', 'target']);
    const defs = debug.settings.find((s) => s.name === 'GCC_PREPROCESSOR_DEFINITIONS')!;
    expect(defs.values).toEqual(['DEBUG=1', '$(inherited)']);
    // Every configuration's settings are also listed flat on the target.
    expect(radio.buildSettings.filter((s) => s.name === 'INFOPLIST_FILE').map((s) => [s.configuration, s.location.line])).toEqual([
      ['Debug', 249],
      ['Release', 266],
    ]);
  });

  it('counts a background mode only when every configuration declares it', () => {
    const modes = backgroundModes(radio);
    expect(modes.has('audio')).toBe(true);
    expect(modes.has('fetch')).toBe(false); // Release only
    expect(modes.values.map((v) => `${m.rel(v.location.file)}:${v.location.line}:${v.value}`)).toEqual([
      'Radio/Info-Debug.plist:17:audio',
      'Radio/Info-Release.plist:17:audio',
      'Radio/Info-Release.plist:18:fetch',
    ]);
  });

  it('requires a string key in every configuration (a Release-only microphone description is not enough)', () => {
    expect(hasInfoPlistString(radio, 'NSMicrophoneUsageDescription')).toBe(false);
    expect(configurationsMissingInfoPlistString(radio, 'NSMicrophoneUsageDescription')).toEqual(['Debug']);
    expect(hasInfoPlistString(radio, 'UILaunchStoryboardName')).toBe(true);
    expect(infoPlistKey(radio, 'NSMicrophoneUsageDescription').map((h) => m.rel(h.keyLocation.file))).toEqual(['Radio/Info-Release.plist']);
  });

  it('points a missing-key finding at the first Info.plist, or at the target when there is none', () => {
    expect(`${m.rel(infoPlistAnchor(radio).file)}:${infoPlistAnchor(radio).line}`).toBe('Radio/Info-Debug.plist:4');
    expect(infoPlistAnchor(tests)).toEqual(tests.anchor);
  });
});

describe('Xcode 16 project with synchronized folders (objectVersion 77)', async () => {
  const m = await loadModel('ios-config/xcode16-synced');
  const podcast = m.target('Podcast', 'Podcast');
  const widget = m.target('Podcast', 'PodcastWidget');

  it('compiles every Swift file of the synchronized folders, minus membership exceptions', () => {
    expect(podcast.sources.map((f) => m.rel(f.path))).toEqual([
      'Podcast/PlayerModel.swift',
      'Podcast/PodcastApp.swift',
      'Shared/AudioSessionSetup.swift',
      'Shared/Episode.swift',
    ]);
    // AudioSessionSetup.swift is excluded from the widget only.
    expect(widget.sources.map((f) => m.rel(f.path))).toEqual(['PodcastWidget/PodcastWidget.swift', 'Shared/Episode.swift']);
  });

  it('does not attach a file excluded by a membership exception to the app as an orphan', () => {
    const all = m.model.ios.flatMap((a) => a.targets.flatMap((t) => t.sources.map((f) => m.rel(f.path))));
    expect(all).not.toContain('Podcast/Preview/PreviewData.swift');
  });

  it('merges a real Info.plist with the generated keys Xcode honours', () => {
    expect(podcast.generatesInfoPlist).toBe(true);
    expect(backgroundModes(podcast).has('audio')).toBe(true);
    expect(hasInfoPlistString(podcast, 'NSMicrophoneUsageDescription')).toBe(true);
    const mic = effectiveConfigurations(podcast)[1]!.infoPlistValue('NSMicrophoneUsageDescription');
    expect(mic).toMatchObject({ source: 'build-setting', value: 'Record short voice replies to episodes.' });
    expect(mic!.location.line).toBe(306);
    // The ~ipad key comes from the _iPad setting.
    expect(effectiveConfigurations(podcast)[0]!.infoPlistValue('UISupportedInterfaceOrientations~ipad')?.source).toBe('build-setting');
    expect(hasInfoPlistString(widget, 'NSMicrophoneUsageDescription')).toBe(false);
  });

  it('maps the same entitlements file to both configurations', () => {
    expect(podcast.entitlements.map((r) => [m.rel(r.file.path), r.configurations])).toEqual([['Podcast/Podcast.entitlements', ['Debug', 'Release']]]);
    expect(widget.entitlements).toEqual([]);
  });
});

describe('generated Info.plist without a file', async () => {
  const m = await loadModel('ios-config/generated-background-mode');
  const stream = m.target('Stream', 'Stream');

  it('never takes UIBackgroundModes from INFOPLIST_KEY_UIBackgroundModes', () => {
    expect(stream.infoPlists).toEqual([]);
    expect(stream.buildSettings.some((s) => s.name === 'INFOPLIST_KEY_UIBackgroundModes')).toBe(true);
    expect(backgroundModes(stream).has('audio')).toBe(false);
    expect(backgroundModes(stream).values).toEqual([]);
    expect(effectiveConfigurations(stream).map((c) => c.infoPlistValue('UIBackgroundModes'))).toEqual([undefined, undefined]);
  });

  it('takes a declared key from the build setting only where it is spelled right', () => {
    // Debug spells INFOPLIST_KEY_NSMicrophoneUsageDescription right, Release does not.
    expect(configurationsMissingInfoPlistString(stream, 'NSMicrophoneUsageDescription')).toEqual(['Release']);
    expect(hasInfoPlistString(stream, 'NSMicrophoneUsageDescription')).toBe(false);
  });
});

describe('mixed layouts and unparseable projects', async () => {
  it('keeps folder apps outside Xcode roots and ignores Info.plists no target uses', async () => {
    const m = await loadModel('ios-config/background-mode-typos');
    expect(m.model.ios.map((a) => [a.name, m.rel(a.root), a.pbxproj ? 'xcode' : 'folder'])).toEqual([
      ['Tuner', 'ios', 'xcode'],
      ['legacy', 'legacy', 'folder'],
    ]);
    const legacy = m.target('legacy', 'legacy');
    expect(legacy.sources.map((f) => m.rel(f.path))).toEqual(['legacy/Sources/Legacy.swift']);
    expect(legacy.configurations).toBeUndefined();
    // ios/Tuner/Old/Info.plist is inside the Xcode project's folder but used by no target.
    const plists = m.model.ios.flatMap((a) => a.targets.flatMap((t) => t.infoPlists.map((r) => m.rel(r.file.path))));
    expect(plists.sort()).toEqual(['ios/Tuner/Info-Debug.plist', 'ios/Tuner/Info-Release.plist', 'legacy/Info.plist']);
  });

  it('falls back to the folder layout when project.pbxproj does not parse', async () => {
    const m = await loadModel('ios-config/broken-pbxproj');
    expect(m.model.problems.map((p) => [p.kind, m.rel(p.file), p.line, p.column])).toEqual([['parse-error', 'Broken.xcodeproj/project.pbxproj', 132, 24]]);
    expect(m.model.ios.map((a) => [a.name, a.pbxproj])).toEqual([['Broken', null]]);
    expect(m.target('Broken', 'Broken').sources.map((f) => path.basename(f.path))).toEqual(['BrokenApp.swift']);
  });
});

describe('expandSettingValue', () => {
  const lookup = (n: string) => ({ SRCROOT: '/p', TARGET_NAME: 'App', PRODUCT_NAME: '$(TARGET_NAME)', CONFIGURATION: 'Debug' })[n];
  it('expands both macro spellings, recursively, and drops $(inherited)', () => {
    expect(expandSettingValue('${SRCROOT}/$(PRODUCT_NAME)/Info-$(CONFIGURATION).plist', lookup)).toBe('/p/App/Info-Debug.plist');
    expect(expandSettingValue('$(inherited) X', lookup)).toBe(' X');
  });
  it('leaves unknown macros as written and stops on self-reference', () => {
    expect(expandSettingValue('$(UNKNOWN)/x', lookup)).toBe('$(UNKNOWN)/x');
    expect(expandSettingValue('$(A)', (n) => (n === 'A' ? '$(A)' : undefined))).toBe('$(A)');
  });
});

describe('settings from .xcconfig files', async () => {
  const m = await loadModel('ios-config/xcconfig-app');
  const player = m.target('Player', 'Player');

  it('reads INFOPLIST_FILE, CODE_SIGN_ENTITLEMENTS and INFOPLIST_KEY_ settings through #include', () => {
    expect(player.configurations!.map((c) => [c.name, c.infoPlistPath && m.rel(c.infoPlistPath), c.entitlementsPath && m.rel(c.entitlementsPath), c.generatesInfoPlist])).toEqual([
      ['Debug', 'Player/Info.plist', 'Player/Player.entitlements', true],
      ['Release', 'Player/Info.plist', 'Player/Player.entitlements', true],
    ]);
    const mic = player.configurations![0]!.settings.find((s) => s.name === 'INFOPLIST_KEY_NSMicrophoneUsageDescription')!;
    expect([mic.value, m.rel(mic.location.file), mic.location.line, mic.level]).toEqual(['Player records voice comments.', 'Config/Shared.xcconfig', 7, 'target']);
    expect(hasInfoPlistString(player, 'NSMicrophoneUsageDescription')).toBe(true);
  });

  it('skips conditional assignments and strips comments and a trailing ";"', () => {
    const ent = player.configurations![1]!.settings.find((s) => s.name === 'CODE_SIGN_ENTITLEMENTS')!;
    expect([ent.value, m.rel(ent.location.file), ent.location.line]).toEqual(['Player/Player.entitlements', 'Config/Release.xcconfig', 4]);
    expect(player.configurations![0]!.settings.find((s) => s.name === 'CODE_SIGN_ENTITLEMENTS')!.value).toBe('Player/Player.entitlements');
  });

  it('marks a configuration whose required #include is missing as incomplete (an optional one is fine)', () => {
    expect(player.configurations!.map((c) => [c.name, c.settingsIncomplete])).toEqual([
      ['Debug', false],
      ['Release', true],
    ]);
  });
});

describe('hostile project files', () => {
  it('survives a group cycle and a very deep group chain without throwing', async () => {
    const { readXcodeProject } = await import('../../src/facts/ios/xcode-project.js');
    const { parsePbxproj, pbxGet } = await import('../../src/parse/pbxproj.js');
    const objs: string[] = [
      'P = { isa = PBXProject; mainGroup = G0; targets = ( T ); buildConfigurationList = L; };',
      'T = { isa = PBXNativeTarget; name = App; productType = "com.apple.product-type.application"; buildPhases = ( S ); buildConfigurationList = L; };',
      'S = { isa = PBXSourcesBuildPhase; files = ( B1, B2 ); };',
      'B1 = { isa = PBXBuildFile; fileRef = F1; };',
      'B2 = { isa = PBXBuildFile; fileRef = F2; };',
      'F1 = { isa = PBXFileReference; path = A.swift; sourceTree = "<group>"; };',
      'F2 = { isa = PBXFileReference; path = B.swift; sourceTree = "<group>"; };',
      'L = { isa = XCConfigurationList; buildConfigurations = ( C ); };',
      'C = { isa = XCBuildConfiguration; name = Debug; buildSettings = { INFOPLIST_FILE = "$(SRCROOT)/Info.plist"; }; };',
      // X and Y contain each other; F1 is in X.
      'X = { isa = PBXGroup; children = ( Y, F1 ); path = x; sourceTree = "<group>"; };',
      'Y = { isa = PBXGroup; children = ( X ); path = y; sourceTree = "<group>"; };',
    ];
    // F2 sits at the bottom of a 5000-deep chain of groups.
    const depth = 5000;
    for (let i = 0; i < depth; i++) objs.push(`D${i} = { isa = PBXGroup; children = ( ${i + 1 < depth ? `D${i + 1}` : 'F2'} ); path = d; sourceTree = "<group>"; };`);
    const text = `{ objectVersion = 56; objects = { ${objs.join('\n')} }; rootObject = P; }`;
    const doc = parsePbxproj(text);
    const objects = new Map();
    const o = pbxGet(doc.root, 'objects');
    if (o?.type === 'dict') for (const e of o.entries) if (e.value.type === 'dict') objects.set(e.key, e.value);
    const project = readXcodeProject({ file: '/repo/App.xcodeproj/project.pbxproj', doc, objects, rootObject: 'P', objectVersion: 56 }, () => []);
    expect(project.targets.map((t) => [t.name, t.sourcePaths])).toEqual([['App', []]]);
    expect(project.targets[0]!.configurations[0]!.settings.get('INFOPLIST_FILE')!.value).toBe('$(SRCROOT)/Info.plist');
  });
});
