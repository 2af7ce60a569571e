// Names of the AVAudioSession categories, options, modes and notifications in their Swift and
// Objective-C spellings, normalised to one name each, plus the option/category validity table.
// Sources: AVAudioSessionTypes.h (iOS 16.1 SDK) and the per-option Apple pages, as collected in
// /work/shared/research/ios-background-audio.md §2.1-2.4 and §2.9.

export type CategoryName = 'ambient' | 'soloAmbient' | 'playback' | 'record' | 'playAndRecord' | 'multiRoute' | 'audioProcessing';

export type OptionName =
  | 'mixWithOthers'
  | 'duckOthers'
  | 'allowBluetooth'
  | 'allowBluetoothHFP'
  | 'defaultToSpeaker'
  | 'interruptSpokenAudioAndMixWithOthers'
  | 'allowBluetoothA2DP'
  | 'allowAirPlay'
  | 'overrideMutedMicrophoneInterruption'
  | 'bluetoothHighQualityRecording'
  | 'farFieldInput';

const CATEGORIES: readonly CategoryName[] = ['ambient', 'soloAmbient', 'playback', 'record', 'playAndRecord', 'multiRoute', 'audioProcessing'];

const OPTIONS: readonly OptionName[] = [
  'mixWithOthers',
  'duckOthers',
  'allowBluetooth',
  'allowBluetoothHFP',
  'defaultToSpeaker',
  'interruptSpokenAudioAndMixWithOthers',
  'allowBluetoothA2DP',
  'allowAirPlay',
  'overrideMutedMicrophoneInterruption',
  'bluetoothHighQualityRecording',
  'farFieldInput',
];

export const MODES = [
  'default',
  'voiceChat',
  'videoChat',
  'gameChat',
  'videoRecording',
  'measurement',
  'moviePlayback',
  'spokenAudio',
  'voicePrompt',
  'dualRoute',
] as const;
export type ModeName = (typeof MODES)[number];

const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/**
 * A category from its last identifier: `playback` (Swift member), `AVAudioSessionCategoryPlayback`
 * (Objective-C constant, and the Swift 4.1 global). Null for anything else.
 */
export function categoryFromName(name: string): CategoryName | null {
  if ((CATEGORIES as readonly string[]).includes(name)) return name as CategoryName;
  const prefix = 'AVAudioSessionCategory';
  if (name.startsWith(prefix)) {
    const rest = lowerFirst(name.slice(prefix.length));
    if ((CATEGORIES as readonly string[]).includes(rest)) return rest as CategoryName;
  }
  return null;
}

/** An option from `mixWithOthers` (Swift) or `AVAudioSessionCategoryOptionMixWithOthers` (Objective-C). */
export function optionFromName(name: string): OptionName | null {
  if ((OPTIONS as readonly string[]).includes(name)) return name as OptionName;
  const prefix = 'AVAudioSessionCategoryOption';
  if (name.startsWith(prefix)) {
    const rest = lowerFirst(name.slice(prefix.length));
    if ((OPTIONS as readonly string[]).includes(rest)) return rest as OptionName;
  }
  return null;
}

export function modeFromName(name: string): ModeName | null {
  if ((MODES as readonly string[]).includes(name)) return name as ModeName;
  const prefix = 'AVAudioSessionMode';
  if (name.startsWith(prefix)) {
    const rest = lowerFirst(name.slice(prefix.length));
    if ((MODES as readonly string[]).includes(rest)) return rest as ModeName;
  }
  return null;
}

/** Raw bits of each option (AVAudioSessionTypes.h). */
const OPTION_BITS: [OptionName, number][] = [
  ['interruptSpokenAudioAndMixWithOthers', 0x11],
  ['mixWithOthers', 0x1],
  ['duckOthers', 0x2],
  ['allowBluetooth', 0x4],
  ['defaultToSpeaker', 0x8],
  ['allowBluetoothA2DP', 0x20],
  ['allowAirPlay', 0x40],
  ['overrideMutedMicrophoneInterruption', 0x80],
  ['farFieldInput', 1 << 18],
  ['bluetoothHighQualityRecording', 1 << 19],
];

/** Options in a raw value, or null when it holds bits this table does not know. */
export function optionsFromRawValue(raw: number): OptionName[] | null {
  if (!Number.isInteger(raw) || raw < 0) return null;
  let rest = raw;
  const out: OptionName[] = [];
  for (const [name, bits] of OPTION_BITS) {
    if ((rest & bits) === bits) {
      out.push(name);
      rest &= ~bits;
    }
  }
  return rest === 0 ? out : null;
}

/**
 * Categories each option may be set with. Only options whose limits Apple documents are listed;
 * an option missing here is never reported as invalid.
 */
export const OPTION_VALID_WITH: Partial<Record<OptionName, readonly CategoryName[]>> = {
  mixWithOthers: ['playAndRecord', 'playback', 'multiRoute'],
  interruptSpokenAudioAndMixWithOthers: ['playAndRecord', 'playback', 'multiRoute'],
  duckOthers: ['ambient', 'playAndRecord', 'playback', 'multiRoute'],
  allowBluetooth: ['playAndRecord', 'record'],
  allowBluetoothHFP: ['playAndRecord', 'record'],
  defaultToSpeaker: ['playAndRecord'],
  allowBluetoothA2DP: ['playAndRecord'],
  allowAirPlay: ['playAndRecord'],
};

/** Options that make the session mixable (duckOthers and interruptSpoken… imply mixWithOthers). */
export const MIXABLE_OPTIONS: readonly OptionName[] = ['mixWithOthers', 'duckOthers', 'interruptSpokenAudioAndMixWithOthers'];

export function isOptionValid(option: OptionName, category: CategoryName): boolean {
  const valid = OPTION_VALID_WITH[option];
  if (!valid || category === 'audioProcessing') return true;
  return valid.includes(category);
}

export function objcCategory(c: CategoryName): string {
  return `AVAudioSessionCategory${upperFirst(c)}`;
}

export function objcOption(o: OptionName): string {
  return `AVAudioSessionCategoryOption${upperFirst(o)}`;
}

export type AudioNotification = 'interruption' | 'routeChange' | 'mediaServicesReset' | 'mediaServicesLost';

/** A notification from the last identifier of the expression naming it. */
export function notificationFromName(name: string): AudioNotification | null {
  switch (name) {
    case 'interruptionNotification':
    case 'AVAudioSessionInterruption':
    case 'AVAudioSessionInterruptionNotification':
      return 'interruption';
    case 'routeChangeNotification':
    case 'AVAudioSessionRouteChange':
    case 'AVAudioSessionRouteChangeNotification':
      return 'routeChange';
    case 'mediaServicesWereResetNotification':
    case 'AVAudioSessionMediaServicesWereReset':
    case 'AVAudioSessionMediaServicesWereResetNotification':
      return 'mediaServicesReset';
    case 'mediaServicesWereLostNotification':
    case 'AVAudioSessionMediaServicesWereLost':
    case 'AVAudioSessionMediaServicesWereLostNotification':
      return 'mediaServicesLost';
    default:
      return null;
  }
}

/** Audio APIs whose use (in real syntax) is recorded per target. */
export type AudioApi =
  | 'AVPlayer'
  | 'AVQueuePlayer'
  | 'AVPlayerViewController'
  | 'AVAudioPlayer'
  | 'AVAudioEngine'
  | 'AVAudioPlayerNode'
  | 'AVAudioRecorder'
  | 'inputNode'
  | 'AudioUnit'
  | 'AudioQueue'
  | 'AudioQueueInput'
  | 'MPNowPlayingInfoCenter'
  | 'MPRemoteCommandCenter'
  | 'MPNowPlayingSession'
  | 'beginReceivingRemoteControlEvents'
  | 'PTChannelManager'
  | 'CallKit'
  | 'AVSpeechSynthesizer'
  | 'SystemSound'
  | 'recordPermission';

const API_BY_NAME: Record<string, AudioApi> = {
  AVPlayer: 'AVPlayer',
  AVPlayerItem: 'AVPlayer',
  AVPlayerLooper: 'AVPlayer',
  AVQueuePlayer: 'AVQueuePlayer',
  AVPlayerViewController: 'AVPlayerViewController',
  AVAudioPlayer: 'AVAudioPlayer',
  AVAudioEngine: 'AVAudioEngine',
  AVAudioPlayerNode: 'AVAudioPlayerNode',
  AVAudioSourceNode: 'AVAudioEngine',
  AVAudioRecorder: 'AVAudioRecorder',
  inputNode: 'inputNode',
  AudioComponentInstanceNew: 'AudioUnit',
  AudioOutputUnitStart: 'AudioUnit',
  AudioUnitInitialize: 'AudioUnit',
  AUGraphStart: 'AudioUnit',
  AUAudioUnit: 'AudioUnit',
  AudioQueueNewOutput: 'AudioQueue',
  AudioQueueNewOutputWithDispatchQueue: 'AudioQueue',
  AudioQueueStart: 'AudioQueue',
  AudioQueueNewInput: 'AudioQueueInput',
  AudioQueueNewInputWithDispatchQueue: 'AudioQueueInput',
  MPNowPlayingInfoCenter: 'MPNowPlayingInfoCenter',
  MPRemoteCommandCenter: 'MPRemoteCommandCenter',
  MPNowPlayingSession: 'MPNowPlayingSession',
  beginReceivingRemoteControlEvents: 'beginReceivingRemoteControlEvents',
  PTChannelManager: 'PTChannelManager',
  PTChannelManagerDelegate: 'PTChannelManager',
  CXProvider: 'CallKit',
  CXProviderDelegate: 'CallKit',
  AVSpeechSynthesizer: 'AVSpeechSynthesizer',
  AudioServicesPlaySystemSound: 'SystemSound',
  AudioServicesPlayAlertSound: 'SystemSound',
  requestRecordPermission: 'recordPermission',
  requestRecordPermissionWithCompletionHandler: 'recordPermission',
};

export function apiFromName(name: string): AudioApi | null {
  return Object.prototype.hasOwnProperty.call(API_BY_NAME, name) ? API_BY_NAME[name]! : null;
}

/** Words that make a file worth parsing for audio facts (a cheap text prefilter, not a match). */
export const AUDIO_PREFILTER_WORDS: readonly string[] = [
  'AVAudioSession',
  'AVAudio',
  'AVPlayer',
  'AVQueuePlayer',
  'MPNowPlaying',
  'MPRemoteCommand',
  'PushToTalk',
  'PTChannel',
  'AudioUnit',
  'AudioOutputUnit',
  'AudioComponent',
  'AudioQueue',
  'AUGraph',
  'AUAudioUnit',
  'setActive',
  'setCategory',
  'inputNode',
  'CXProvider',
  'beginReceivingRemoteControlEvents',
  'AVSpeechSynthesizer',
  'AudioServicesPlay',
  'AudioSessionSetProperty',
  'oldDeviceUnavailable',
  'OldDeviceUnavailable',
  'channelManager',
  'interruption',
  'Interruption',
  'routeChange',
  'RouteChange',
  'mediaServices',
  'MediaServices',
];

/**
 * Apple system modules. An import of anything else in an audio file means a library may configure
 * the session on the app's behalf, which audiobg cannot see.
 */
export const APPLE_MODULES: ReadonlySet<string> = new Set([
  'Accelerate', 'ActivityKit', 'AppIntents', 'AudioToolbox', 'AudioUnit', 'AVFAudio', 'AVFoundation', 'AVKit', 'AVRouting',
  'BackgroundTasks', 'CallKit', 'CarPlay', 'CloudKit', 'Combine', 'CoreAudio', 'CoreAudioKit', 'CoreAudioTypes', 'CoreData',
  'CoreFoundation', 'CoreGraphics', 'CoreHaptics', 'CoreImage', 'CoreLocation', 'CoreMedia', 'CoreMIDI', 'CoreML', 'CoreMotion',
  'CoreServices', 'CoreTelephony', 'CoreText', 'CoreVideo', 'Darwin', 'Dispatch', 'Foundation', 'GameController', 'GameKit',
  'GroupActivities', 'Intents', 'IntentsUI', 'MapKit', 'MediaPlayer', 'MediaToolbox', 'MetalKit', 'Metal', 'MusicKit', 'NaturalLanguage',
  'Network', 'ObjectiveC', 'Observation', 'os', 'OSLog', 'PhotosUI', 'Photos', 'PushKit', 'PushToTalk', 'QuartzCore', 'SafariServices',
  'SceneKit', 'ShazamKit', 'Speech', 'SpriteKit', 'StoreKit', 'Swift', 'SwiftData', 'SwiftUI', 'UIKit', 'UniformTypeIdentifiers',
  'UserNotifications', 'Vision', 'WatchConnectivity', 'WebKit', 'WidgetKit', 'XCTest',
]);
