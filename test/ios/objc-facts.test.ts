import { describe, expect, it } from 'vitest';
import { at, objcFacts } from './support.js';

describe('Objective-C audio facts', () => {
  it('reads setCategory:withOptions:error: with options joined by | over several lines', async () => {
    const f = await objcFacts(
      [
        '@implementation Player',
        '- (void)setup {',
        '    NSError *err = nil;',
        '    [[AVAudioSession sharedInstance] setCategory:AVAudioSessionCategoryPlayback',
        '                                     withOptions:AVAudioSessionCategoryOptionMixWithOthers |',
        '                                                 AVAudioSessionCategoryOptionAllowAirPlay',
        '                                           error:&err];',
        '}',
        '@end',
      ].join('\n'),
    );
    expect(f.setCategory).toHaveLength(1);
    const c = f.setCategory[0]!;
    expect(c).toMatchObject({ lang: 'objc', category: 'playback', optionsResolved: true, errorHandling: 'checked', enclosingFunction: 'setup' });
    expect(c.options.map((o) => `${o.option}@${at(o.location)}`)).toEqual(['mixWithOthers@5:50', 'allowAirPlay@6:50']);
    expect(at(c.location)).toBe('4:5');
  });

  it('reads setCategory:mode:options:error:, a local options variable and error:nil / NULL', async () => {
    const f = await objcFacts(
      [
        '- (void)setup {',
        '    AVAudioSession *session = [AVAudioSession sharedInstance];',
        '    AVAudioSessionCategoryOptions opts = AVAudioSessionCategoryOptionDefaultToSpeaker | AVAudioSessionCategoryOptionAllowBluetooth;',
        '    [session setCategory:AVAudioSessionCategoryPlayAndRecord mode:AVAudioSessionModeVoiceChat options:opts error:nil];',
        '    [session setCategory:AVAudioSessionCategorySoloAmbient error:NULL];',
        '    [session setCategory:AVAudioSessionCategoryPlayback withOptions:self.options error:nil];',
        '}',
      ].join('\n'),
    );
    expect(f.setCategory.map((c) => [c.category, c.mode, c.options.map((o) => `${o.option}@${o.location.line}`), c.optionsResolved, c.errorHandling])).toEqual([
      ['playAndRecord', 'voiceChat', ['defaultToSpeaker@3', 'allowBluetooth@3'], true, 'error-nil'],
      ['soloAmbient', null, [], true, 'error-nil'],
      ['playback', null, [], false, 'error-nil'],
    ]);
  });

  it('reads setActive:YES / NO with and without options', async () => {
    const f = await objcFacts(
      [
        '- (void)go {',
        '    [[AVAudioSession sharedInstance] setActive:YES error:nil];',
        '    [[AVAudioSession sharedInstance] setActive:NO withOptions:AVAudioSessionSetActiveOptionNotifyOthersOnDeactivation error:&e];',
        '    [self.button setActive:YES];',
        '}',
      ].join('\n'),
    );
    expect(f.setActive.map((c) => [c.active, c.errorHandling, c.location.line])).toEqual([
      [true, 'error-nil', 2],
      [false, 'checked', 3],
    ]);
  });

  it('reads imports, observers, the PTT delegate method and route-change reasons', async () => {
    const f = await objcFacts(
      [
        '@import AVFoundation;',
        '#import <PushToTalk/PushToTalk.h>',
        '#import "Local.h"',
        '@implementation C',
        '- (void)channelManager:(PTChannelManager *)m didActivateAudioSession:(AVAudioSession *)s {',
        '    [[NSNotificationCenter defaultCenter] addObserver:self selector:@selector(routeChanged:) name:AVAudioSessionRouteChangeNotification object:nil];',
        '    [[NSNotificationCenter defaultCenter] addObserverForName:AVAudioSessionInterruptionNotification object:nil queue:nil usingBlock:^(NSNotification *n) {}];',
        '    if (reason == AVAudioSessionRouteChangeReasonOldDeviceUnavailable) { [self.player pause]; }',
        '}',
        '@end',
      ].join('\n'),
    );
    expect(f.imports.map((i) => `${i.module}@${i.location.line}`)).toEqual(['AVFoundation@1', 'PushToTalk@2']);
    expect(f.pttDidActivate.map((l) => l.line)).toEqual([5]);
    expect(f.observers.map((o) => [o.notification, o.handler, o.selector])).toEqual([
      ['routeChange', 'selector', 'routeChanged'],
      ['interruption', 'closure', null],
    ]);
    expect(f.oldDeviceUnavailable.map((l) => l.line)).toEqual([8]);
  });

  it('sees a resume in the InterruptionTypeEnded case, with and without reactivation', async () => {
    const f = await objcFacts(
      [
        '- (void)interrupted:(NSNotification *)n {',
        '    switch (type) {',
        '        case AVAudioSessionInterruptionTypeEnded:',
        '            [self.player play];',
        '            break;',
        '    }',
        '    if (type == AVAudioSessionInterruptionTypeEnded) {',
        '        [[AVAudioSession sharedInstance] setActive:YES error:nil];',
        '        AudioOutputUnitStart(unit);',
        '    }',
        '}',
      ].join('\n'),
    );
    expect(f.interruptionResumes.map((r) => [r.location.line, r.reactivatedBefore])).toEqual([
      [4, false],
      [9, true],
    ]);
  });

  it('never takes a fact from a comment or a string literal', async () => {
    const f = await objcFacts(
      [
        '// [[AVAudioSession sharedInstance] setActive:YES error:nil];',
        '/* #import <PushToTalk/PushToTalk.h> */',
        'NSString *s = @"AVAudioSessionCategoryAmbient AVAudioRecorder MPRemoteCommandCenter";',
        'NSLog(@"[[AVAudioSession sharedInstance] setCategory:AVAudioSessionCategoryPlayback error:nil]");',
      ].join('\n'),
    );
    expect(f.setActive).toEqual([]);
    expect(f.setCategory).toEqual([]);
    expect(f.imports).toEqual([]);
    expect(f.apis).toEqual([]);
  });
});
