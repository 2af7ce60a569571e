import { describe, expect, it } from 'vitest';
import { at, swiftFacts } from './support.js';

describe('Swift setCategory facts', () => {
  it('reads category, mode, policy and each option with its position', async () => {
    const f = await swiftFacts(
      [
        'func a() throws {',
        '    try AVAudioSession.sharedInstance().setCategory(.playback, mode: .spokenAudio, policy: .longFormAudio, options: [.allowAirPlay, .duckOthers])',
        '}',
      ].join('\n'),
    );
    expect(f.setCategory).toHaveLength(1);
    const c = f.setCategory[0]!;
    expect(c).toMatchObject({ category: 'playback', mode: 'spokenAudio', policy: 'longFormAudio', optionsGiven: true, optionsResolved: true, errorHandling: 'propagated', enclosingFunction: 'a' });
    expect(c.options.map((o) => `${o.option}@${at(o.location)}`)).toEqual(['allowAirPlay@2:118', 'duckOthers@2:133']);
    expect(at(c.location)).toBe('2:5');
  });

  it('understands every spelling of the category and the options', async () => {
    const f = await swiftFacts(
      [
        'func a(session: AVAudioSession) throws {',
        '    try session.setCategory(AVAudioSession.Category.playAndRecord, options: AVAudioSession.CategoryOptions.defaultToSpeaker)',
        '    try session.setCategory(AVAudioSessionCategoryAmbient, with: .mixWithOthers)',
        '    try session.setCategory(.playback, options: AVAudioSession.CategoryOptions(rawValue: 0x11))',
        '    try session.setCategory(.soloAmbient)',
        '}',
      ].join('\n'),
    );
    expect(f.setCategory.map((c) => [c.category, c.options.map((o) => o.option), c.optionsGiven])).toEqual([
      ['playAndRecord', ['defaultToSpeaker'], true],
      ['ambient', ['mixWithOthers'], true],
      ['playback', ['interruptSpokenAudioAndMixWithOthers'], true],
      ['soloAmbient', [], false],
    ]);
  });

  it('finds a call split over several lines and a try that binds to the receiver', async () => {
    const f = await swiftFacts(
      [
        'func a() {',
        '    try? AVAudioSession',
        '        .sharedInstance()',
        '        .setCategory(',
        '            .playback,',
        '            options: [',
        '                .allowBluetooth',
        '            ]',
        '        )',
        '}',
      ].join('\n'),
    );
    expect(f.setCategory).toHaveLength(1);
    expect(f.setCategory[0]).toMatchObject({ category: 'playback', errorHandling: 'try?' });
    expect(at(f.setCategory[0]!.location)).toBe('2:5');
    expect(f.setCategory[0]!.options.map((o) => at(o.location))).toEqual(['7:17']);
  });

  it('resolves a local let constant but never a var or a parameter', async () => {
    const f = await swiftFacts(
      [
        'func a(extra: AVAudioSession.CategoryOptions) throws {',
        '    let fixed: AVAudioSession.CategoryOptions = [.allowAirPlay]',
        '    var grown: AVAudioSession.CategoryOptions = [.mixWithOthers]',
        '    grown.insert(.allowAirPlay)',
        '    try AVAudioSession.sharedInstance().setCategory(.playback, options: fixed)',
        '    try AVAudioSession.sharedInstance().setCategory(.playback, options: grown)',
        '    try AVAudioSession.sharedInstance().setCategory(.playback, options: extra)',
        '    try AVAudioSession.sharedInstance().setCategory(.playback, options: [.mixWithOthers, extra])',
        '}',
      ].join('\n'),
    );
    expect(f.setCategory.map((c) => [c.options.map((o) => `${o.option}@${o.location.line}`), c.optionsResolved])).toEqual([
      [['allowAirPlay@2'], true],
      [[], false],
      [[], false],
      [['mixWithOthers@8'], false],
    ]);
  });

  it('classifies error handling: try?, try!, empty catch, handled catch, propagation', async () => {
    const f = await swiftFacts(
      [
        'func a(s: AVAudioSession) throws {',
        '    try? s.setActive(true)',
        '    try! s.setActive(true)',
        '    do { try s.setActive(true) } catch { }',
        '    do { try s.setActive(true) } catch { print(error) }',
        '    try s.setActive(true)',
        '    do { try s.setActive(false) } catch let e as NSError { log(e) } catch {}',
        '}',
      ].join('\n'),
    );
    expect(f.setActive.map((c) => [c.active, c.errorHandling])).toEqual([
      [true, 'try?'],
      [true, 'try!'],
      [true, 'empty-catch'],
      [true, 'checked'],
      [true, 'propagated'],
      [false, 'checked'],
    ]);
  });

  it('counts a try? whose optional result is checked as handled, and one whose result is dropped as ignored', async () => {
    const f = await swiftFacts(
      [
        'func a(s: AVAudioSession) {',
        '    if (try? s.setActive(true)) != nil { ready = true }',
        '    guard (try? s.setActive(true)) != nil else { return }',
        '    let ok = (try? s.setActive(true)) != nil',
        '    _ = try? s.setActive(true)',
        '    try? AVAudioSession.sharedInstance().setActive(true)',
        '    queue.async { try? s.setActive(true) }',
        '}',
      ].join('\n'),
    );
    expect(f.setActive.map((c) => [c.location.line, c.errorHandling])).toEqual([
      [2, 'checked'],
      [3, 'checked'],
      [4, 'checked'],
      [5, 'try?'],
      [6, 'try?'],
      [7, 'try?'],
    ]);
  });

  it('ignores setActive / setCategory on objects that are not an audio session', async () => {
    const f = await swiftFacts(
      [
        'func a() {',
        '    button.setActive(true)',
        '    logger.setCategory(name)',
        '    let s = AVAudioSession.sharedInstance()',
        '    try? s.setActive(true)',
        '}',
      ].join('\n'),
    );
    expect(f.setActive.map((c) => at(c.location))).toEqual(['5:5']);
    expect(f.setCategory).toEqual([]);
  });

  it('never takes a fact from a comment or a string literal', async () => {
    const f = await swiftFacts(
      [
        '// try AVAudioSession.sharedInstance().setCategory(.playback, options: [.allowAirPlay])',
        '/* import PushToTalk',
        '   let r = AVAudioRecorder() */',
        'let s = "try? AVAudioSession.sharedInstance().setActive(true); MPNowPlayingInfoCenter"',
        'let m = """',
        'NotificationCenter.default.addObserver(self, selector: #selector(x), name: AVAudioSession.interruptionNotification, object: nil)',
        '"""',
      ].join('\n'),
    );
    expect(f.setCategory).toEqual([]);
    expect(f.setActive).toEqual([]);
    expect(f.imports).toEqual([]);
    expect(f.apis).toEqual([]);
    expect(f.observers).toEqual([]);
  });
});

describe('Swift observers, Push to Talk and engines', () => {
  it('finds interruption / route-change observers in their four spellings', async () => {
    const f = await swiftFacts(
      [
        'func a() async {',
        '    NotificationCenter.default.addObserver(self, selector: #selector(handle(_:)), name: AVAudioSession.interruptionNotification, object: nil)',
        '    NotificationCenter.default.addObserver(forName: .AVAudioSessionRouteChange, object: nil, queue: .main) { _ in }',
        '    _ = NotificationCenter.default.publisher(for: AVAudioSession.mediaServicesWereResetNotification).sink { _ in }',
        '    for await _ in NotificationCenter.default.notifications(named: AVAudioSession.routeChangeNotification) {}',
        '    NotificationCenter.default.addObserver(self, selector: #selector(other), name: UIApplication.didBecomeActiveNotification, object: nil)',
        '}',
      ].join('\n'),
    );
    expect(f.observers.map((o) => [o.notification, o.handler, o.selector, o.location.line])).toEqual([
      ['interruption', 'selector', 'handle', 2],
      ['routeChange', 'closure', null, 3],
      ['mediaServicesReset', 'stream', null, 4],
      ['routeChange', 'stream', null, 5],
    ]);
  });

  it('records PushToTalk imports, channel-manager use and the didActivate implementation', async () => {
    const f = await swiftFacts(
      [
        '@preconcurrency import PushToTalk',
        'final class C: NSObject, PTChannelManagerDelegate {',
        '    func channelManager(_ m: PTChannelManager, didActivate audioSession: AVAudioSession) {}',
        '    func channelManager(_ m: PTChannelManager, didDeactivate audioSession: AVAudioSession) {}',
        '}',
      ].join('\n'),
    );
    expect(f.imports.map((i) => i.module)).toEqual(['PushToTalk']);
    expect(f.pttDidActivate.map(at)).toEqual(['3:5']);
    expect(f.apis.filter((a) => a.api === 'PTChannelManager').map((a) => a.location.line)).toEqual([2, 3, 4]);
  });

  it('records playback and recording engines, Now Playing and the input node', async () => {
    const f = await swiftFacts(
      [
        'let p = AVPlayer(url: u)',
        'var q: AVQueuePlayer?',
        'let e = AVAudioEngine()',
        'let t = e.inputNode',
        'let r = try AVAudioRecorder(url: u, settings: [:])',
        'MPNowPlayingInfoCenter.default().nowPlayingInfo = [:]',
        'AudioOutputUnitStart(unit)',
      ].join('\n'),
    );
    expect(f.apis.map((a) => `${a.api}@${a.location.line}`)).toEqual([
      'AVPlayer@1',
      'AVQueuePlayer@2',
      'AVAudioEngine@3',
      'inputNode@4',
      'AVAudioRecorder@5',
      'MPNowPlayingInfoCenter@6',
      'AudioUnit@7',
    ]);
  });
});

describe('Swift interruption handlers', () => {
  it('sees a resume in the .ended case without reactivation, and one with it', async () => {
    const f = await swiftFacts(
      [
        'final class P {',
        '    @objc func interrupted(_ n: Notification) {',
        '        guard let v = n.userInfo?[AVAudioSessionInterruptionTypeKey] as? UInt,',
        '              let type = AVAudioSession.InterruptionType(rawValue: v) else { return }',
        '        switch type {',
        '        case .began: player.pause()',
        '        case .ended: player.play()',
        '        @unknown default: break',
        '        }',
        '    }',
        '    @objc func interrupted2(_ n: Notification) {',
        '        guard let v = n.userInfo?[AVAudioSessionInterruptionTypeKey] as? UInt, v == AVAudioSession.InterruptionType.ended.rawValue else { return }',
        '        try? AVAudioSession.sharedInstance().setActive(true)',
        '        try? engine.start()',
        '    }',
        '    @objc func interrupted3(_ n: Notification) {',
        '        let type = AVAudioSession.InterruptionType(rawValue: n.userInfo?[AVAudioSessionInterruptionTypeKey] as? UInt ?? 0)',
        '        if type == .ended { reactivate(); player.play() }',
        '    }',
        '}',
      ].join('\n'),
    );
    expect(f.interruptionResumes.map((r) => [r.location.line, r.reactivatedBefore, r.callsBefore, r.handlerFunction])).toEqual([
      [7, false, [], 'interrupted'],
      [14, true, ['setActive', 'sharedInstance'], 'interrupted2'],
      [18, false, ['reactivate'], 'interrupted3'],
    ]);
  });

  it('does not mistake a gesture recognizer .ended state for an interruption', async () => {
    const f = await swiftFacts(
      [
        '@objc func pan(_ g: UIPanGestureRecognizer) {',
        '    switch g.state {',
        '    case .ended: player.play()',
        '    default: break',
        '    }',
        '}',
      ].join('\n'),
    );
    expect(f.interruptionResumes).toEqual([]);
  });

  it('lists the functions that activate the session', async () => {
    const f = await swiftFacts(
      ['func activate() { try? AVAudioSession.sharedInstance().setActive(true) }', 'func off() { try? AVAudioSession.sharedInstance().setActive(false) }'].join('\n'),
    );
    expect(f.activatingFunctions).toEqual(['activate']);
  });
});
