import AVFoundation
import Combine
import PushToTalk
import UIKit
import os

/// Joins a Push to Talk channel, sends the user's voice while they hold the talk button and plays
/// what the others say, also from the Lock Screen and when the app is not running: the system
/// launches the app in the background for Push to Talk pushes.
///
/// The Push to Talk framework owns the audio session. It activates the session with the priority
/// a walkie-talkie needs when the user starts talking or a remote participant becomes active, and
/// reports it through `channelManager(_:didActivate:)`. So this code never calls
/// `AVAudioSession.setActive`: a session activated by the app itself gets ordinary priority and
/// cannot start from the background. The app only sets the category, once, at launch.
final class PushToTalkService: NSObject, ObservableObject {
    @Published private(set) var isReady = false
    @Published private(set) var joinedChannelName: String?
    @Published private(set) var isTransmitting = false
    @Published private(set) var activeSpeaker: String?
    @Published private(set) var problem: String?

    private let logger = Logger(subsystem: "{{bundleId}}", category: "PushToTalk")
    private let audio = TalkAudio()
    private let channels = ChannelStore()
    private let server = ChannelServer()
    /// Read by `incomingPushResult`, which the system may call on any thread.
    private let transmittingNow = OSAllocatedUnfairLock(initialState: false)
    // The properties below are only used on the main thread.
    /// Named `manager` so that it does not share a name with the delegate methods below.
    private var manager: PTChannelManager?
    private var remoteSpeaker: String?
    /// True from the moment the user asks to talk until they let go of the button.
    private var wantsToTransmit = false

    /// Call from `application(_:didFinishLaunchingWithOptions:)`, as early as possible: the system
    /// restores the joined channel and delivers pending pushes through the channel manager.
    func start() {
        // Set once, before anything else, and never changed while talking: changing the category
        // when a transmission starts adds a noticeable delay.
        audio.configureSession()

        PTChannelManager.channelManager(delegate: self, restorationDelegate: self) { manager, error in
            DispatchQueue.main.async {
                if let manager {
                    self.manager = manager
                    self.isReady = true
                } else {
                    // Typical causes: the Push to Talk capability, the push-to-talk background mode or
                    // the aps-environment entitlement is missing, or the app runs in the simulator or
                    // on a Mac, where the framework is not available.
                    let reason = error?.localizedDescription ?? "unknown error"
                    self.logger.error("Could not create the channel manager: \(reason, privacy: .public)")
                    self.problem = "Push to Talk is not available: \(reason)"
                }
            }
        }
    }

    // MARK: - User actions (main thread)

    func join(channelNamed name: String) {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let manager, !trimmed.isEmpty else { return }
        let channelUUID = channels.identifier(forChannelNamed: trimmed)
        // Joining has to come from the user with the app in the foreground, hence a button.
        manager.requestJoinChannel(channelUUID: channelUUID, descriptor: PTChannelDescriptor(name: trimmed, image: nil))
    }

    func leave() {
        guard let manager, let channelUUID = manager.activeChannelUUID else { return }
        manager.leaveChannel(channelUUID: channelUUID)
    }

    func beginTransmitting() {
        guard let manager, let channelUUID = manager.activeChannelUUID else { return }
        wantsToTransmit = true
        manager.requestBeginTransmitting(channelUUID: channelUUID)
    }

    func stopTransmitting() {
        wantsToTransmit = false
        guard let manager, let channelUUID = manager.activeChannelUUID, isTransmitting else { return }
        manager.stopTransmitting(channelUUID: channelUUID)
    }

    // MARK: - Helpers

    /// Stand-in for the audio your server streams to this device: plays the bundled sample, then
    /// tells the system that the remote participant has finished, so that it deactivates the
    /// session and the user can talk again.
    private func playIncomingMessage(channelManager: PTChannelManager) {
        guard let channelUUID = channelManager.activeChannelUUID else { return }
        let finished: () -> Void = {
            self.remoteSpeaker = nil
            self.activeSpeaker = nil
            channelManager.setActiveRemoteParticipant(nil, channelUUID: channelUUID) { error in
                if let error {
                    self.logger.error("Could not clear the remote participant: \(error.localizedDescription, privacy: .public)")
                }
            }
        }
        guard let url = Bundle.main.url(forResource: "sample", withExtension: "wav") else {
            finished()
            return
        }
        audio.play(fileAt: url, finished: finished)
    }

    /// Once the audio session is deactivated, iOS suspends a background app within moments. A
    /// background task buys the few seconds needed to tell the server what happened.
    private func reportToServerInBackgroundTask(_ event: String, channelUUID: UUID?) {
        DispatchQueue.main.async {
            let activity = BackgroundActivity(name: event)
            activity.begin()
            self.server.post(event, channelUUID: channelUUID) {
                DispatchQueue.main.async {
                    activity.end()
                }
            }
        }
    }
}

// MARK: - PTChannelManagerDelegate

extension PushToTalkService: PTChannelManagerDelegate {
    func channelManager(_ channelManager: PTChannelManager, didJoinChannel channelUUID: UUID, reason: PTChannelJoinReason) {
        let name = channels.name(forChannel: channelUUID) ?? "Channel"
        logger.info("Joined \(name, privacy: .public), reason \(reason.rawValue)")
        // Tells the system UI that the app's server connection works. Report `.connecting` while
        // your connection is down and `.ready` again once it is back.
        channelManager.setServiceStatus(.ready, channelUUID: channelUUID) { error in
            if let error {
                self.logger.error("Could not set the service status: \(error.localizedDescription, privacy: .public)")
            }
        }
        DispatchQueue.main.async {
            self.joinedChannelName = name
            self.problem = nil
        }
    }

    func channelManager(_ channelManager: PTChannelManager, didLeaveChannel channelUUID: UUID, reason: PTChannelLeaveReason) {
        logger.info("Left the channel, reason \(reason.rawValue)")
        reportToServerInBackgroundTask("left channel", channelUUID: channelUUID)
        DispatchQueue.main.async {
            self.joinedChannelName = nil
            self.isTransmitting = false
            self.activeSpeaker = nil
            self.remoteSpeaker = nil
        }
    }

    func channelManager(_ channelManager: PTChannelManager, failedToJoinChannel channelUUID: UUID, error: Error) {
        logger.error("Could not join the channel: \(error.localizedDescription, privacy: .public)")
        DispatchQueue.main.async {
            self.problem = "Could not join the channel: \(error.localizedDescription)"
        }
    }

    func channelManager(_ channelManager: PTChannelManager, failedToLeaveChannel channelUUID: UUID, error: Error) {
        logger.error("Could not leave the channel: \(error.localizedDescription, privacy: .public)")
    }

    /// The user started talking: with the app's button, the system UI, a headset or CarPlay.
    /// Recording must wait for `didActivate`, when the session is active.
    func channelManager(_ channelManager: PTChannelManager, channelUUID: UUID, didBeginTransmittingFrom source: PTChannelTransmitRequestSource) {
        transmittingNow.withLock { $0 = true }
        DispatchQueue.main.async {
            self.isTransmitting = true
            // Our button was released before the system confirmed the start: stop right away.
            if source == .developerRequest, !self.wantsToTransmit {
                channelManager.stopTransmitting(channelUUID: channelUUID)
            }
        }
    }

    func channelManager(_ channelManager: PTChannelManager, channelUUID: UUID, didEndTransmittingFrom source: PTChannelTransmitRequestSource) {
        transmittingNow.withLock { $0 = false }
        DispatchQueue.main.async {
            self.isTransmitting = false
            self.wantsToTransmit = false
            self.audio.stopCapturing()
        }
        reportToServerInBackgroundTask("transmission ended", channelUUID: channelUUID)
    }

    func channelManager(_ channelManager: PTChannelManager, failedToBeginTransmittingInChannel channelUUID: UUID, error: Error) {
        // For example during a phone call, or while someone else talks in a half-duplex channel.
        logger.error("Could not start transmitting: \(error.localizedDescription, privacy: .public)")
        transmittingNow.withLock { $0 = false }
        DispatchQueue.main.async {
            self.isTransmitting = false
            self.wantsToTransmit = false
            self.problem = "Could not start talking: \(error.localizedDescription)"
        }
    }

    func channelManager(_ channelManager: PTChannelManager, failedToStopTransmittingInChannel channelUUID: UUID, error: Error) {
        logger.error("Could not stop transmitting: \(error.localizedDescription, privacy: .public)")
    }

    /// Send this token to your server: it addresses Push to Talk pushes to this device (APNs push
    /// type `pushtotalk`, topic `<bundle id>.voip-ptt`, priority 10, expiration 0). It only works
    /// while the user is in a channel, and a new one arrives for every channel joined.
    func channelManager(_ channelManager: PTChannelManager, receivedEphemeralPushToken pushToken: Data) {
        let token = pushToken.map { String(format: "%02x", $0) }.joined()
        logger.info("Received the ephemeral push token \(token, privacy: .private)")
        reportToServerInBackgroundTask("push token \(token)", channelUUID: channelManager.activeChannelUUID)
    }

    /// Called for every Push to Talk push, possibly right after the system launched the app in the
    /// background. Return at once and never block: no network here. The payload is whatever your
    /// server sends; this template expects
    ///     {"activeSpeaker": "Alex"}   someone in the channel started talking
    ///     {"leaveChannel": true}      the server removed this user from the channel
    func incomingPushResult(channelManager: PTChannelManager, channelUUID: UUID, pushPayload: [String: Any]) -> PTPushResult {
        if (pushPayload["leaveChannel"] as? Bool) == true {
            return .leaveChannel
        }
        let speaker = (pushPayload["activeSpeaker"] as? String) ?? "Someone"

        // In a half-duplex channel (the default) a remote participant cannot become active while the
        // local user is talking, so end the local transmission first.
        if transmittingNow.withLock({ $0 }) {
            channelManager.stopTransmitting(channelUUID: channelUUID)
        }
        DispatchQueue.main.async {
            self.remoteSpeaker = speaker
            self.activeSpeaker = speaker
        }
        // Start downloading the speaker's audio from your server here, on another thread.
        // After this returns, the system activates the audio session and calls didActivate.
        return .activeRemoteParticipant(PTParticipant(name: speaker, image: nil))
    }

    /// The system activated the audio session: only now can the engine record or play.
    func channelManager(_ channelManager: PTChannelManager, didActivate audioSession: AVAudioSession) {
        logger.info("The system activated the audio session")
        DispatchQueue.main.async {
            self.audio.sessionDidActivate()
            if self.isTransmitting {
                let server = self.server
                self.audio.startCapturing { buffer in
                    server.send(buffer)
                }
            } else if self.remoteSpeaker != nil {
                self.playIncomingMessage(channelManager: channelManager)
            }
        }
    }

    func channelManager(_ channelManager: PTChannelManager, didDeactivate audioSession: AVAudioSession) {
        logger.info("The system deactivated the audio session")
        DispatchQueue.main.async {
            self.audio.sessionDidDeactivate()
            self.remoteSpeaker = nil
            self.activeSpeaker = nil
        }
        reportToServerInBackgroundTask("audio session deactivated", channelUUID: channelManager.activeChannelUUID)
    }
}

// MARK: - PTChannelRestorationDelegate

extension PushToTalkService: PTChannelRestorationDelegate {
    /// Called at launch when the system cannot restore a channel from its own cache. It must
    /// answer immediately, so the descriptor comes from what was saved when the user joined.
    func channelDescriptor(restoredChannelUUID channelUUID: UUID) -> PTChannelDescriptor {
        let name = channels.name(forChannel: channelUUID) ?? "{{appName|swift}}"
        return PTChannelDescriptor(name: name, image: nil)
    }
}

// MARK: - Audio

/// Records the user's voice while they transmit and plays what the others say. Main thread only.
///
/// It never activates or deactivates the audio session (see `PushToTalkService`): it starts the
/// engine in `sessionDidActivate()` and stops it in `sessionDidDeactivate()`, which follow the
/// framework's `didActivate` / `didDeactivate` calls.
final class TalkAudio {
    private let session = AVAudioSession.sharedInstance()
    private let logger = Logger(subsystem: "{{bundleId}}", category: "TalkAudio")
    private var engine = AVAudioEngine()
    private var player = AVAudioPlayerNode()
    private var sessionObservers: [NSObjectProtocol] = []
    private var engineObserver: NSObjectProtocol?
    private var sessionIsActive = false
    private var isInterrupted = false
    private var captureHandler: ((AVAudioPCMBuffer) -> Void)?
    private var tapInstalled = false

    init() {
        buildEngine()
        observeSession()
    }

    deinit {
        sessionObservers.forEach { NotificationCenter.default.removeObserver($0) }
        if let engineObserver {
            NotificationCenter.default.removeObserver(engineObserver)
        }
    }

    /// `.playAndRecord`, not mixable: the Push to Talk framework only activates a non-mixable
    /// session in the background, so no mixing or ducking option may appear here.
    /// - `.allowBluetoothHFP`: a Bluetooth headset's microphone can be used. This is the iOS 26
    ///   SDK's name for the old `allowBluetooth` option (same value; the old name is deprecated).
    ///   Its declared availability is iOS 1.0, so it runs on iOS 17, but building needs Xcode 26
    ///   or later; with Xcode 16 use `.allowBluetooth` instead.
    /// - `.allowBluetoothA2DP`: high-quality output to Bluetooth headphones when not recording.
    /// - `.defaultToSpeaker`: the speaker rather than the earpiece, like a walkie-talkie.
    func configureSession() {
        do {
            try session.setCategory(.playAndRecord, mode: .default, options: [.allowBluetoothHFP, .allowBluetoothA2DP, .defaultToSpeaker])
        } catch {
            logger.error("Could not set the playAndRecord category: \(error.localizedDescription, privacy: .public)")
        }
    }

    func sessionDidActivate() {
        sessionIsActive = true
        isInterrupted = false
        startEngineIfPossible()
    }

    func sessionDidDeactivate() {
        sessionIsActive = false
        stopCapturing()
        player.stop()
        engine.stop()
        // A fresh engine for the next activation: once the input node has been used, an engine
        // keeps the microphone on whenever it runs, even when it only has to play.
        buildEngine()
    }

    /// Delivers microphone buffers to `handler` on an audio thread (do not block it). Call after
    /// the session is active.
    func startCapturing(_ handler: @escaping (AVAudioPCMBuffer) -> Void) {
        captureHandler = handler
        guard sessionIsActive, !tapInstalled else { return }
        // Connect the input node while the engine is stopped, then start it again.
        engine.stop()
        let input = engine.inputNode
        let format = input.outputFormat(forBus: 0)
        guard format.sampleRate > 0, format.channelCount > 0 else {
            logger.error("No microphone input is available")
            return
        }
        input.installTap(onBus: 0, bufferSize: 4096, format: format) { buffer, _ in
            handler(buffer)
        }
        tapInstalled = true
        startEngineIfPossible()
    }

    func stopCapturing() {
        captureHandler = nil
        if tapInstalled {
            engine.inputNode.removeTap(onBus: 0)
            tapInstalled = false
        }
    }

    /// Plays a received message; `finished` runs on the main thread once it has been played or
    /// stopped.
    func play(fileAt url: URL, finished: @escaping () -> Void) {
        let file: AVAudioFile
        do {
            file = try AVAudioFile(forReading: url)
        } catch {
            logger.error("Could not open the message: \(error.localizedDescription, privacy: .public)")
            finished()
            return
        }
        engine.disconnectNodeOutput(player)
        engine.connect(player, to: engine.mainMixerNode, format: file.processingFormat)
        startEngineIfPossible()
        guard engine.isRunning else {
            finished()
            return
        }
        player.scheduleFile(file, at: nil, completionCallbackType: .dataPlayedBack) { _ in
            DispatchQueue.main.async {
                finished()
            }
        }
        player.play()
    }

    private func buildEngine() {
        if let engineObserver {
            NotificationCenter.default.removeObserver(engineObserver)
        }
        engine = AVAudioEngine()
        player = AVAudioPlayerNode()
        tapInstalled = false
        engine.attach(player)
        engine.connect(player, to: engine.mainMixerNode, format: nil)
        // The engine stops itself when the hardware format changes (a headset connects, say).
        engineObserver = NotificationCenter.default.addObserver(forName: .AVAudioEngineConfigurationChange, object: engine, queue: .main) { [weak self] _ in
            self?.handleEngineConfigurationChange()
        }
    }

    private func startEngineIfPossible() {
        guard sessionIsActive, !isInterrupted, !engine.isRunning else { return }
        engine.prepare()
        do {
            try engine.start()
        } catch {
            logger.error("Could not start the audio engine: \(error.localizedDescription, privacy: .public)")
        }
    }

    private func observeSession() {
        let center = NotificationCenter.default
        sessionObservers = [
            center.addObserver(forName: AVAudioSession.interruptionNotification, object: session, queue: .main) { [weak self] notification in
                self?.handleInterruption(notification)
            },
            center.addObserver(forName: AVAudioSession.routeChangeNotification, object: session, queue: .main) { [weak self] notification in
                self?.handleRouteChange(notification)
            },
            center.addObserver(forName: AVAudioSession.mediaServicesWereResetNotification, object: session, queue: .main) { [weak self] _ in
                self?.handleMediaServicesReset()
            },
        ]
    }

    /// AVAudioEngine, unlike AVPlayer, does not handle interruptions for us.
    private func handleInterruption(_ notification: Notification) {
        guard let info = notification.userInfo,
              let typeValue = info[AVAudioSessionInterruptionTypeKey] as? UInt,
              let type = AVAudioSession.InterruptionType(rawValue: typeValue) else {
            return
        }
        switch type {
        case .began:
            // A phone call, for example. The system has already stopped the engine.
            isInterrupted = true
            player.pause()
        case .ended:
            isInterrupted = false
            let optionsValue = (info[AVAudioSessionInterruptionOptionKey] as? UInt) ?? 0
            let options = AVAudioSession.InterruptionOptions(rawValue: optionsValue)
            // Unlike a music player, no setActive(true) here: reactivating is the Push to Talk
            // framework's job. If the session is still ours, restart the engine; otherwise the
            // next didActivate will.
            if options.contains(.shouldResume) {
                startEngineIfPossible()
                if engine.isRunning {
                    player.play()
                }
            }
        @unknown default:
            break
        }
    }

    /// Headphones unplugged or a headset gone in the middle of a message: stop it rather than
    /// carry on out loud through the speaker. Stopping runs the message's completion, which
    /// clears the remote participant.
    private func handleRouteChange(_ notification: Notification) {
        guard let info = notification.userInfo,
              let reasonValue = info[AVAudioSessionRouteChangeReasonKey] as? UInt,
              let reason = AVAudioSession.RouteChangeReason(rawValue: reasonValue) else {
            return
        }
        if reason == .oldDeviceUnavailable {
            player.stop()
        }
    }

    private func handleEngineConfigurationChange() {
        guard sessionIsActive else { return }
        // The tap was installed with the old input format: install it again with the new one.
        let handler = captureHandler
        stopCapturing()
        if let handler {
            startCapturing(handler)
        } else {
            startEngineIfPossible()
        }
    }

    /// After the media server restarts, the engine and the category are gone. Build a new engine
    /// and set the category again, still without activating: the framework does that for the
    /// next transmission.
    private func handleMediaServicesReset() {
        logger.notice("Media services were reset; rebuilding the audio engine")
        sessionIsActive = false
        isInterrupted = false
        captureHandler = nil
        buildEngine()
        configureSession()
    }
}

// MARK: - Support

/// Remembers the joined channel, so that the restoration delegate can describe it instantly
/// after a relaunch.
struct ChannelStore {
    private let defaults = UserDefaults.standard
    private let identifierKey = "pushToTalk.channelIdentifier"
    private let nameKey = "pushToTalk.channelName"

    /// The system identifies a channel by a UUID that must stay the same for the channel's whole
    /// life. A real app gets it from its server; this template makes one per channel name.
    func identifier(forChannelNamed name: String) -> UUID {
        if name == defaults.string(forKey: nameKey),
           let stored = defaults.string(forKey: identifierKey).flatMap({ UUID(uuidString: $0) }) {
            return stored
        }
        let identifier = UUID()
        defaults.set(identifier.uuidString, forKey: identifierKey)
        defaults.set(name, forKey: nameKey)
        return identifier
    }

    func name(forChannel channelUUID: UUID) -> String? {
        guard defaults.string(forKey: identifierKey) == channelUUID.uuidString else { return nil }
        return defaults.string(forKey: nameKey)
    }
}

/// Stand-in for your backend; the template has none, so these methods only log. Replace them with
/// real network calls (Apple suggests QUIC through the Network framework to cut connection time).
final class ChannelServer {
    private let logger = Logger(subsystem: "{{bundleId}}", category: "Server")

    func post(_ event: String, channelUUID: UUID?, completion: @escaping () -> Void) {
        logger.info("Would tell the server: \(event, privacy: .public)")
        completion()
    }

    /// Called on an audio thread with each recorded buffer: encode it and stream it to the server.
    func send(_ buffer: AVAudioPCMBuffer) {
        _ = buffer.frameLength
    }
}

/// Asks iOS for a little more time in the background and gives it back when done.
final class BackgroundActivity {
    private let name: String
    private var identifier: UIBackgroundTaskIdentifier = .invalid

    init(name: String) {
        self.name = name
    }

    func begin() {
        identifier = UIApplication.shared.beginBackgroundTask(withName: name) { [weak self] in
            // Time is up: end the task, or iOS terminates the app.
            self?.end()
        }
    }

    func end() {
        guard identifier != .invalid else { return }
        UIApplication.shared.endBackgroundTask(identifier)
        identifier = .invalid
    }
}
