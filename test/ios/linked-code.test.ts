// Frameworks, static libraries and local Swift packages are judged through the apps that link or
// embed them; app extensions are judged on their own terms.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { doctorJson, locationsOf, FIXTURES } from '../support/cli.js';
import { loadModel } from '../ios-config/support.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-ios-linked-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A copy of a fixture with one Info.plist's UIBackgroundModes replaced (null: key removed). */
function withModes(fixture: string, plist: string, modes: string[] | null): string {
  const dir = path.join(tmp, `${path.basename(fixture)}-${plist.replace(/\W/g, '_')}-${modes?.join('_') ?? 'none'}`);
  fs.cpSync(path.join(FIXTURES, fixture), dir, { recursive: true });
  const file = path.join(dir, plist);
  let text = fs.readFileSync(file, 'utf8').replace(/\t<key>UIBackgroundModes<\/key>\n\t<array>\n(\t\t<string>[^<]*<\/string>\n)*\t<\/array>\n/, '');
  if (modes) text = text.replace('<dict>\n', `<dict>\n\t<key>UIBackgroundModes</key>\n\t<array>\n${modes.map((m) => `\t\t<string>${m}</string>\n`).join('')}\t</array>\n`);
  fs.writeFileSync(file, text);
  return dir;
}

const MODE_RULE = 'ios/background-audio-mode-missing';

describe('framework embedded by an app', () => {
  it('reports the framework\'s setCategory line and names the host app whose Info.plist lacks `audio`', async () => {
    const { findings } = await doctorJson('ios/framework-app-no-mode');
    expect(locationsOf(findings, MODE_RULE)).toEqual(['TunesKit/PlayerSession.swift:12']);
    const f = findings.find((x) => x.ruleId === MODE_RULE)!;
    expect(f.message).toContain('in framework "TunesKit" which target "Tunes" embeds');
    expect(f.message).toContain('the Info.plist of target "Tunes" does not declare');
    // Never against the framework's own Info.plist, nor for ChimeKit, which no app embeds.
    expect(findings.filter((x) => x.message.includes('target "TunesKit"') || x.message.includes('ChimeKit'))).toEqual([]);
  });

  it('a framework folder checked on its own (no project, CFBundlePackageType FMWK) is not an app either', async () => {
    const { findings, raw } = await doctorJson('ios/framework-app-no-mode/TunesKit');
    expect(raw.apps.map((a: { name: string }) => a.name)).toEqual(['TunesKit']);
    expect(locationsOf(findings, MODE_RULE)).toEqual([]);
  });

  it('near miss: the host app declares `audio`, so the framework\'s session code is clean', async () => {
    const { findings } = await doctorJson('ios/framework-app-with-mode');
    expect(findings.filter((f) => f.ruleId.startsWith('ios/'))).toEqual([]);
  });

  it('models the framework as a library with its host, and folds its code into the app', async () => {
    const m = await loadModel('ios/framework-app-no-mode');
    const app = m.target('Tunes', 'Tunes');
    const kit = m.target('Tunes', 'TunesKit');
    const chime = m.target('Tunes', 'ChimeKit');
    expect([app.role, kit.role, chime.role]).toEqual(['app', 'library', 'library']);
    expect(kit.hosts).toEqual(['Tunes']);
    expect(chime.hosts).toEqual([]);
    expect(app.linked?.map((l) => [l.name, l.kind, l.via])).toEqual([['TunesKit', 'framework', 'embed']]);
    expect(app.sources.map((f) => m.rel(f.path))).toEqual(['Tunes/TunesApp.swift']);
    expect(app.code.setCategory.map((c) => m.rel(c.location.file))).toEqual(['TunesKit/PlayerSession.swift']);
  });
});

describe('framework embedded by two apps', () => {
  it('names only the app that lacks the mode', async () => {
    const { findings } = await doctorJson('ios/framework-two-apps');
    const f = findings.filter((x) => x.ruleId === MODE_RULE);
    expect(f.map((x) => `${x.file}:${x.line}`)).toEqual(['RadioKit/Streamer.swift:12']);
    expect(f[0]!.message).toContain('target "RadioLite"');
    expect(f[0]!.message).not.toContain('"Radio"');
  });

  it('INFOPLIST_KEY_UIBackgroundModes on the framework points at its host apps, not at the framework\'s Info.plist', async () => {
    const { findings } = await doctorJson('ios/framework-two-apps');
    const f = findings.filter((x) => x.ruleId === 'ios/infoplist-key-ignored');
    expect(f).toHaveLength(2); // Debug and Release
    expect(f[0]!.message).toContain('only count in the Info.plist of the app that embeds it ("Radio" and "RadioLite")');
    expect(f[0]!.fix).toContain('declare UIBackgroundModes in the Info.plist of "Radio" and "RadioLite"');
  });

  it('one finding naming both apps when neither declares it', async () => {
    const dir = withModes('ios/framework-two-apps', 'Radio/Info.plist', null);
    const f = (await doctorJson(dir)).findings.filter((x) => x.ruleId === MODE_RULE);
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('the Info.plists of targets "Radio" and "RadioLite" do not declare');
  });
});

describe('Objective-C static library linked by an app', () => {
  it('reports the library\'s setCategory: message against the app that links it', async () => {
    const { findings } = await doctorJson('ios/static-library-objc');
    expect(locationsOf(findings, MODE_RULE)).toEqual(['BeatEngine/BeatAudio.m:8']);
    expect(findings.find((f) => f.ruleId === MODE_RULE)!.message).toContain('in library "BeatEngine" which target "Beat" links');
    const m = await loadModel('ios/static-library-objc');
    expect(m.target('Beat', 'Beat').linked?.map((l) => [l.name, l.kind, l.via, l.modules])).toEqual([['BeatEngine', 'library', 'link', ['BeatEngine']]]);
  });

  it('near miss: the app declares `audio`', async () => {
    const dir = withModes('ios/static-library-objc', 'Beat/Info.plist', ['audio']);
    expect(locationsOf((await doctorJson(dir)).findings, MODE_RULE)).toEqual([]);
  });
});

describe('framework in a second .xcodeproj of the workspace', () => {
  it('follows a PBXReferenceProxy into the other project, and an implicit dependency by product name', async () => {
    const { findings } = await doctorJson('ios/framework-cross-project');
    const f = findings.filter((x) => x.ruleId === MODE_RULE);
    expect(f.map((x) => `${x.file}:${x.line}`)).toEqual(['StageKit/StageKit/Conductor.swift:12']);
    // Stage (reference proxy) lacks the mode; StageMini (linked by name) declares it.
    expect(f[0]!.message).toContain('target "Stage" embeds');
    const both = (await doctorJson(withModes('ios/framework-cross-project', 'Stage/StageMini/Info.plist', null))).findings.filter((x) => x.ruleId === MODE_RULE);
    expect(both.map((x) => x.message)).toEqual([expect.stringContaining('targets "Stage" and "StageMini"')]);
  });

  it('near miss: both apps declare `audio`', async () => {
    const dir = withModes('ios/framework-cross-project', 'Stage/Stage/Info.plist', ['audio']);
    expect(locationsOf((await doctorJson(dir)).findings, MODE_RULE)).toEqual([]);
  });
});

describe('local Swift package linked by an app', () => {
  it('Xcode 15 package reference: the package target\'s setCategory is attributed to the app through its product', async () => {
    const { findings } = await doctorJson('ios/spm-local-no-mode');
    expect(locationsOf(findings, MODE_RULE)).toEqual(['Packages/Playback/Sources/Support/SessionSetup.swift:6']);
    const f = findings.find((x) => x.ruleId === MODE_RULE)!;
    expect(f.message).toContain('in Swift package module "SessionSupport" which target "Listen" links');
    // The package's test target is not app code.
    expect(findings.filter((x) => x.file.includes('Tests/'))).toEqual([]);
  });

  it('models the package as a library target whose host is the app', async () => {
    const m = await loadModel('ios/spm-local-no-mode');
    const pkg = m.target('Listen', 'Playback');
    expect(pkg.role).toBe('library');
    expect(pkg.hosts).toEqual(['Listen']);
    expect(pkg.sources.map((f) => m.rel(f.path))).toEqual(['Packages/Playback/Sources/PlaybackCore/PlaybackCore.swift', 'Packages/Playback/Sources/Support/SessionSetup.swift']);
    const app = m.target('Listen', 'Listen');
    expect(app.linked?.map((l) => [l.name, l.kind, l.modules])).toEqual([['PlaybackCore', 'package', ['PlaybackCore', 'SessionSupport']]]);
  });

  it('near miss: Xcode 14 folder reference with `audio` declared; the package code is still judged through the app', async () => {
    const { findings } = await doctorJson('ios/spm-folder-with-mode');
    expect(locationsOf(findings, MODE_RULE)).toEqual([]);
    // The package's .spokenAudio playback is the app's: it plays in the background without lock-screen controls.
    expect(locationsOf(findings, 'ios/now-playing-missing')).toEqual(['Modules/Audio/Sources/Support/SessionSetup.swift:6']);
    const without = await doctorJson(withModes('ios/spm-folder-with-mode', 'Hear/Info.plist', null));
    expect(locationsOf(without.findings, MODE_RULE)).toEqual(['Modules/Audio/Sources/Support/SessionSetup.swift:6']);
  });
});

describe('app extensions', () => {
  it('an extension\'s own playback code asks nothing of its Info.plist or of the app; the app\'s mode does not leak into it', async () => {
    const { findings } = await doctorJson('ios/extension-shared-kit');
    // CastWidget plays a clip with .playback and AVAudioPlayer; CastNotifications uses AVPlayer without a category.
    expect(findings.filter((f) => f.ruleId.startsWith('ios/'))).toEqual([]);
  });

  it('an extension folder checked on its own (Info.plist with NSExtension, no project) is not asked for the mode', async () => {
    const m = await loadModel('ios/extension-shared-kit/CastWidget');
    expect(m.app('CastWidget').targets.map((t) => t.role)).toEqual(['extension']);
    expect(locationsOf((await doctorJson('ios/extension-shared-kit/CastWidget')).findings, MODE_RULE)).toEqual([]);
  });

  it('classifies the targets and folds the shared framework into both the app and the widget', async () => {
    const m = await loadModel('ios/extension-shared-kit');
    expect(m.app('Cast').targets.map((t) => [t.name, t.role])).toEqual([
      ['Cast', 'app'],
      ['CastKit', 'library'],
      ['CastWidget', 'extension'],
      ['CastNotifications', 'extension'],
    ]);
    expect(m.target('Cast', 'CastKit').hosts).toEqual(['Cast', 'CastWidget']);
    // The app embeds the extensions, but their code is not the app's.
    expect(m.target('Cast', 'Cast').code.setCategory.map((c) => m.rel(c.location.file))).toEqual(['CastKit/CastPlayer.swift']);
  });

  it('near miss: without `audio` in the app, the shared framework is reported against the app only', async () => {
    const { findings } = await doctorJson(withModes('ios/extension-shared-kit', 'Cast/Info.plist', null));
    const f = findings.filter((x) => x.ruleId === MODE_RULE);
    expect(f.map((x) => `${x.file}:${x.line}`)).toEqual(['CastKit/CastPlayer.swift:12']);
    expect(f[0]!.message).toContain('target "Cast" embeds');
    expect(f[0]!.message).not.toContain('CastWidget');
  });
});

describe('rules over an app and its framework together', () => {
  it('route-change-not-handled blames the observer next to the engine, not an unrelated one in the app', async () => {
    const dir = path.join(tmp, 'route-observers');
    fs.cpSync(path.join(FIXTURES, 'ios/framework-app-with-mode'), dir, { recursive: true });
    const kit = path.join(dir, 'PodiumKit/StageSession.swift');
    // The framework plays with AVAudioPlayer and observes route changes without checking the reason...
    fs.writeFileSync(kit, fs.readFileSync(kit, 'utf8').replace('private let player = AVPlayer()', `private let player = AVPlayer()
    private var chime: AVAudioPlayer?
    private var token: NSObjectProtocol?

    public func ring(_ url: URL) throws {
        chime = try AVAudioPlayer(contentsOf: url)
        chime?.play()
        token = NotificationCenter.default.addObserver(forName: AVAudioSession.routeChangeNotification, object: nil, queue: .main) { [weak self] _ in
            self?.chime?.stop()
        }
        NotificationCenter.default.addObserver(forName: AVAudioSession.interruptionNotification, object: nil, queue: .main) { _ in }
    }`));
    // ...and the app watches route changes only to redraw an output picker.
    const app = path.join(dir, 'Podium/PodiumApp.swift');
    fs.writeFileSync(app, fs.readFileSync(app, 'utf8').replace('@main', `final class OutputLabel {
    init() {
        NotificationCenter.default.addObserver(forName: AVAudioSession.routeChangeNotification, object: nil, queue: .main) { _ in }
    }
}

@main`).replace('import SwiftUI', 'import AVFoundation\nimport SwiftUI'));
    const { findings } = await doctorJson(dir);
    expect(locationsOf(findings, 'ios/route-change-not-handled')).toEqual(['PodiumKit/StageSession.swift:14']);
  });
});

describe('real-world shapes', () => {
  it('a malformed Package.swift or an unreadable package reference does not stop the project from being checked', async () => {
    const dir = path.join(tmp, 'broken-package');
    fs.cpSync(path.join(FIXTURES, 'ios/spm-local-no-mode'), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'Packages/Playback/Package.swift'), 'let package = Package(name: "Playback", products: [.library(name: \n');
    const { raw, findings } = await doctorJson(dir);
    expect(raw.internalErrors).toEqual([]);
    // The product cannot be resolved; the package's files fall back to being the app's unlisted
    // files (as for any Swift file under the project folder), without a claim about the package.
    expect(locationsOf(findings, MODE_RULE)).toEqual(['Packages/Playback/Sources/Support/SessionSetup.swift:6']);
    expect(findings.find((f) => f.ruleId === MODE_RULE)!.message).not.toContain('package');
  });
});
