// Which INFOPLIST_KEY_* build settings Xcode's build engine turns into Info.plist entries.
//
// Source: swift-build (the open-source Xcode build engine). `defaultInfoPlistContent` in
// Sources/SWBTaskExecution/TaskActions/InfoPlistProcessorTaskAction.swift copies a fixed list of
// keys, and only when `BuiltinMacros.namespace.lookupMacroDeclaration("INFOPLIST_KEY_<key>")`
// finds a declaration (Sources/SWBCore/Settings/BuiltinMacros.swift, "Info.plist Keys").
// Anything else — notably INFOPLIST_KEY_UIBackgroundModes — is an ordinary user build setting
// that nothing reads. The list below is the union of the declared macros and the copied keys
// (two revisions differ slightly; a union avoids calling a working setting dead).
// https://github.com/swiftlang/swift-build/blob/41aee626ba142a63955fa69ebe4913daa1d805ca/Sources/SWBTaskExecution/TaskActions/InfoPlistProcessorTaskAction.swift#L712-L730

export const GENERATED_INFOPLIST_KEYS: ReadonlySet<string> = new Set([
  // General
  'CFBundleDisplayName',
  'LSApplicationCategoryType',
  'NSHumanReadableCopyright',
  'NSPrincipalClass',
  // Usage descriptions
  'ITSAppUsesNonExemptEncryption',
  'ITSEncryptionExportComplianceCode',
  'NFCReaderUsageDescription',
  'NSAccessoryTrackingUsageDescription',
  'NSAppDataUsageDescription',
  'NSAppleEventsUsageDescription',
  'NSAppleMusicUsageDescription',
  'NSBluetoothAlwaysUsageDescription',
  'NSBluetoothPeripheralUsageDescription',
  'NSBluetoothWhileInUseUsageDescription',
  'NSCalendarsUsageDescription',
  'NSCalendarsFullAccessUsageDescription',
  'NSCalendarsWriteOnlyAccessUsageDescription',
  'NSCameraUsageDescription',
  'NSContactsUsageDescription',
  'NSCriticalMessagingUsageDescription',
  'NSDesktopFolderUsageDescription',
  'NSDocumentsFolderUsageDescription',
  'NSDownloadsFolderUsageDescription',
  'NSFaceIDUsageDescription',
  'NSFallDetectionUsageDescription',
  'NSFileProviderDomainUsageDescription',
  'NSFileProviderPresenceUsageDescription',
  'NSFinancialDataUsageDescription',
  'NSFocusStatusUsageDescription',
  'NSGKFriendListUsageDescription',
  'NSHandsTrackingUsageDescription',
  'NSHealthClinicalHealthRecordsShareUsageDescription',
  'NSHealthShareUsageDescription',
  'NSHealthUpdateUsageDescription',
  'NSHomeKitUsageDescription',
  'NSIdentityUsageDescription',
  'NSLocalNetworkUsageDescription',
  'NSLocationAlwaysAndWhenInUseUsageDescription',
  'NSLocationAlwaysUsageDescription',
  'NSLocationTemporaryUsageDescription',
  'NSLocationTemporaryUsageDescriptionDictionary',
  'NSLocationUsageDescription',
  'NSLocationWhenInUseUsageDescription',
  'NSMainCameraUsageDescription',
  'NSMicrophoneUsageDescription',
  'NSMotionUsageDescription',
  'NSNearbyInteractionAllowOnceUsageDescription',
  'NSNearbyInteractionUsageDescription',
  'NSNetworkVolumesUsageDescription',
  'NSPhotoLibraryAddUsageDescription',
  'NSPhotoLibraryUsageDescription',
  'NSRemindersUsageDescription',
  'NSRemindersFullAccessUsageDescription',
  'NSRemovableVolumesUsageDescription',
  'NSSensorKitPrivacyPolicyURL',
  'NSSensorKitUsageDescription',
  'NSSiriUsageDescription',
  'NSSpeechRecognitionUsageDescription',
  'NSSystemAdministrationUsageDescription',
  'NSSystemExtensionUsageDescription',
  'NSUserTrackingUsageDescription',
  'NSVideoSubscriberAccountUsageDescription',
  'NSVoIPUsageDescription',
  'NSWorldSensingUsageDescription',
  'OSBundleUsageDescription',
  // macOS
  'LSBackgroundOnly',
  'LSUIElement',
  'NSMainNibFile',
  'NSMainStoryboardFile',
  // iOS and derived platforms
  'UILaunchScreen_Generation',
  'UILaunchStoryboardName',
  'UIMainStoryboardFile',
  'UIRequiredDeviceCapabilities',
  'UISupportedInterfaceOrientations',
  'UIUserInterfaceStyle',
  // iOS
  'LSSupportsOpeningDocumentsInPlace',
  'NSSupportsLiveActivities',
  'NSSupportsLiveActivitiesFrequentUpdates',
  'UIApplicationSupportsIndirectInputEvents',
  'UIApplicationSceneManifest_Generation',
  'UIRequiresFullScreen',
  'UIStatusBarHidden',
  'UIStatusBarStyle',
  'UISupportedInterfaceOrientations_iPad',
  'UISupportedInterfaceOrientations_iPhone',
  'UISupportsDocumentBrowser',
  // watchOS
  'CLKComplicationPrincipalClass',
  'WKApplication',
  'WKCompanionAppBundleIdentifier',
  'WKExtensionDelegateClassName',
  'WKRunsIndependentlyOfCompanionApp',
  'WKWatchOnly',
  'WKSupportsLiveActivityLaunchAttributeTypes',
  // Metal, game controllers, sticker packs
  'MetalCaptureEnabled',
  'GCSupportsControllerUserInteraction',
  'GCSupportsGameMode',
  'NSStickerSharingLevel',
]);

export const INFOPLIST_KEY_PREFIX = 'INFOPLIST_KEY_';

/** Does Xcode copy this INFOPLIST_KEY_<suffix> setting into a generated Info.plist? */
export function isGeneratedInfoPlistKey(suffix: string): boolean {
  return GENERATED_INFOPLIST_KEYS.has(suffix);
}

/** The Info.plist key written for a generated setting suffix (platform-specific suffixes use `~`). */
export function plistKeyForSuffix(suffix: string): string {
  return suffix.replace(/_iPad$/, '~ipad').replace(/_iPhone$/, '~iphone');
}
