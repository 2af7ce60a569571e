import AVFoundation
import Combine
import MediaPlayer
import os

/// Plays the bundled track with AVPlayer, keeps playing when the app goes to the background or
/// the screen locks, and shows the track with working controls on the Lock Screen, in Control
/// Center, on CarPlay and on headphones.
///
/// Background playback needs all three of these; any one missing and the audio stops on lock:
/// 1. `UIBackgroundModes` contains `audio` (Info.plist);
/// 2. the session category is `.playback` (the default, `.soloAmbient`, is silenced on lock);
/// 3. audio is actually playing: iOS suspends a background app whose player is paused.
final class AudioPlaybackService: ObservableObject {
    struct Track {
        let title: String
        let artist: String
        let url: URL
    }

    /// Speeds offered in the app and to the system's playback-rate control.
    static let supportedRates: [Float] = [0.75, 1.0, 1.25, 1.5, 2.0]
    /// Seconds moved by the skip buttons, in the app and on the Lock Screen.
    static let skipInterval: TimeInterval = 15

    @Published private(set) var isPlaying = false
    @Published private(set) var elapsed: TimeInterval = 0
    @Published private(set) var duration: TimeInterval = 0
    @Published private(set) var rate: Float = 1.0
    @Published private(set) var problem: String?

    let track: Track?

    private let session = AVAudioSession.sharedInstance()
    private let logger = Logger(subsystem: "{{bundleId}}", category: "Playback")
    private var player = AVPlayer()
    private var playerObservations: [NSKeyValueObservation] = []
    private var periodicTimeObserver: Any?
    private var itemEndObserver: NSObjectProtocol?
    private var sessionObservers: [NSObjectProtocol] = []
    private var handledCommands: [MPRemoteCommand] = []
    /// What the user asked for last. An interruption pauses the player without changing it, so
    /// that we know whether to resume when the interruption ends.
    private var userWantsPlayback = false

    init() {
        if let url = Bundle.main.url(forResource: "sample", withExtension: "wav") {
            track = Track(title: "Sample", artist: "{{appName|swift}}", url: url)
        } else {
            track = nil
        }
        configureSession()
        observeSession()
        preparePlayer(startingAt: .zero)
        setUpRemoteCommands()
        updateNowPlaying()
    }

    deinit {
        sessionObservers.forEach { NotificationCenter.default.removeObserver($0) }
        handledCommands.forEach { $0.removeTarget(nil) }
        tearDownPlayer()
    }

    // MARK: - Controls

    func play() {
        guard track != nil else { return }
        userWantsPlayback = true
        // Activate just before playing. Activation of a non-mixable session can fail (during a
        // phone call, for example); then say so instead of pretending to play.
        do {
            try session.setActive(true)
            problem = nil
        } catch {
            logger.error("Could not activate the audio session: \(error.localizedDescription, privacy: .public)")
            problem = "Audio is not available right now: \(error.localizedDescription)"
            userWantsPlayback = false
            return
        }
        player.play()
        updateNowPlaying()
    }

    func pause() {
        userWantsPlayback = false
        player.pause()
        updateNowPlaying()
    }

    func togglePlayPause() {
        if player.rate == 0 {
            play()
        } else {
            pause()
        }
    }

    func seek(to seconds: TimeInterval) {
        let upperBound = duration > 0 ? duration : max(seconds, 0)
        let target = CMTime(seconds: min(max(seconds, 0), upperBound), preferredTimescale: 600)
        elapsed = target.seconds
        player.seek(to: target, toleranceBefore: .zero, toleranceAfter: .zero) { [weak self] _ in
            // The position jumped, which the system cannot extrapolate: publish it again.
            DispatchQueue.main.async {
                self?.updateNowPlaying()
            }
        }
    }

    func skip(by offset: TimeInterval) {
        seek(to: currentSeconds + offset)
    }

    func setRate(_ newRate: Float) {
        rate = newRate
        // `defaultRate` is the rate the next `play()` uses; change the live rate only while playing.
        player.defaultRate = newRate
        if player.rate != 0 {
            player.rate = newRate
        }
        updateNowPlaying()
    }

    private var currentSeconds: TimeInterval {
        let seconds = player.currentTime().seconds
        return seconds.isFinite ? seconds : 0
    }

    // MARK: - Audio session

    /// `.playback` keeps audio going with the screen locked and the Ring/Silent switch on silent.
    /// Mode `.default` suits music; for podcasts and audiobooks use `.spokenAudio`, so that
    /// spoken audio from other apps (navigation prompts) pauses this app instead of ducking it.
    ///
    /// No category options, on purpose:
    /// - mixing options (mix with others, duck others) make the session mixable, and a mixable
    ///   app never becomes the Now Playing app, so the Lock Screen controls would not appear;
    /// - the AirPlay, Bluetooth and speaker options are only valid with `.playAndRecord`. With
    ///   `.playback` they make `setCategory` throw, and the session silently stays `.soloAmbient`.
    ///   AirPlay and Bluetooth headphones already work with `.playback` without any option.
    private func configureSession() {
        do {
            try session.setCategory(.playback, mode: .default, options: [])
        } catch {
            logger.error("Could not set the playback category: \(error.localizedDescription, privacy: .public)")
            problem = "Could not configure audio: \(error.localizedDescription)"
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

    /// A phone call, an alarm or Siri takes the audio hardware away and gives it back later.
    private func handleInterruption(_ notification: Notification) {
        guard let info = notification.userInfo,
              let typeValue = info[AVAudioSessionInterruptionTypeKey] as? UInt,
              let type = AVAudioSession.InterruptionType(rawValue: typeValue) else {
            return
        }
        switch type {
        case .began:
            // AVPlayer has already paused itself. Pausing here too keeps `isPlaying` and the Now
            // Playing rate right. `userWantsPlayback` is kept: it decides whether to resume.
            player.pause()
            updateNowPlaying()
        case .ended:
            let optionsValue = (info[AVAudioSessionInterruptionOptionKey] as? UInt) ?? 0
            let options = AVAudioSession.InterruptionOptions(rawValue: optionsValue)
            // Resume only if the system says it is appropriate (not, say, after the user started
            // music in another app) and only if the user was listening before.
            guard userWantsPlayback, options.contains(.shouldResume) else {
                userWantsPlayback = false
                updateNowPlaying()
                return
            }
            // The interruption deactivated our session; reactivate it before resuming, otherwise
            // the player stays silent.
            do {
                try session.setActive(true)
            } catch {
                logger.error("Could not reactivate the audio session after an interruption: \(error.localizedDescription, privacy: .public)")
                userWantsPlayback = false
                updateNowPlaying()
                return
            }
            player.play()
            updateNowPlaying()
        @unknown default:
            break
        }
    }

    /// Headphones unplugged or a Bluetooth device gone: pause rather than carry on out loud
    /// through the speaker. AVPlayer pauses by itself here as well; doing it explicitly keeps
    /// `userWantsPlayback` and the Now Playing rate consistent.
    private func handleRouteChange(_ notification: Notification) {
        guard let info = notification.userInfo,
              let reasonValue = info[AVAudioSessionRouteChangeReasonKey] as? UInt,
              let reason = AVAudioSession.RouteChangeReason(rawValue: reasonValue) else {
            return
        }
        if reason == .oldDeviceUnavailable {
            pause()
        }
    }

    /// When the media server restarts, every player and every session setting is gone: build a
    /// new player, set the category again, and wait for the user to press play.
    private func handleMediaServicesReset() {
        logger.notice("Media services were reset; rebuilding the player")
        let position = player.currentTime()
        tearDownPlayer()
        player = AVPlayer()
        userWantsPlayback = false
        configureSession()
        preparePlayer(startingAt: position)
        updateNowPlaying()
    }

    // MARK: - Player

    private func preparePlayer(startingAt position: CMTime) {
        guard let track else {
            problem = "sample.wav is missing from the app bundle."
            return
        }
        let item = AVPlayerItem(url: track.url)
        player.replaceCurrentItem(with: item)
        player.defaultRate = rate
        if position.seconds > 0 {
            player.seek(to: position)
        }

        playerObservations = [
            player.observe(\.timeControlStatus, options: [.initial, .new]) { [weak self] _, _ in
                DispatchQueue.main.async {
                    self?.playerStateChanged()
                }
            },
            item.observe(\.status, options: [.initial, .new]) { [weak self] item, _ in
                DispatchQueue.main.async {
                    self?.itemStatusChanged(item)
                }
            },
        ]

        // Drives the clock on screen only. Now Playing is deliberately not refreshed here: the
        // system extrapolates the elapsed time from the rate we published.
        let interval = CMTime(seconds: 0.5, preferredTimescale: 600)
        periodicTimeObserver = player.addPeriodicTimeObserver(forInterval: interval, queue: .main) { [weak self] time in
            let seconds = time.seconds
            self?.elapsed = seconds.isFinite ? seconds : 0
        }

        itemEndObserver = NotificationCenter.default.addObserver(forName: AVPlayerItem.didPlayToEndTimeNotification, object: item, queue: .main) { [weak self] _ in
            self?.playbackReachedEnd()
        }
    }

    private func tearDownPlayer() {
        playerObservations.forEach { $0.invalidate() }
        playerObservations = []
        if let periodicTimeObserver {
            player.removeTimeObserver(periodicTimeObserver)
        }
        periodicTimeObserver = nil
        if let itemEndObserver {
            NotificationCenter.default.removeObserver(itemEndObserver)
        }
        itemEndObserver = nil
        player.pause()
        player.replaceCurrentItem(with: nil)
    }

    private func playerStateChanged() {
        isPlaying = player.timeControlStatus != .paused
        // Also covers pauses we did not ask for (interruption, route change, end of the track).
        updateNowPlaying()
    }

    private func itemStatusChanged(_ item: AVPlayerItem) {
        switch item.status {
        case .readyToPlay:
            let seconds = item.duration.seconds
            duration = seconds.isFinite ? seconds : 0
            updateNowPlaying()
        case .failed:
            let reason = item.error?.localizedDescription ?? "unknown error"
            logger.error("Could not load the track: \(reason, privacy: .public)")
            problem = "Could not load the track: \(reason)"
        default:
            break
        }
    }

    private func playbackReachedEnd() {
        userWantsPlayback = false
        seek(to: 0)
    }

    // MARK: - Now Playing

    /// Publishes the track to the Lock Screen, Control Center, CarPlay and accessories. Called
    /// when playback starts or stops, after a seek and when the rate changes, never on a timer.
    private func updateNowPlaying() {
        guard let track else {
            MPNowPlayingInfoCenter.default().nowPlayingInfo = nil
            return
        }
        var info: [String: Any] = [
            MPMediaItemPropertyTitle: track.title,
            MPMediaItemPropertyArtist: track.artist,
            MPNowPlayingInfoPropertyMediaType: MPNowPlayingInfoMediaType.audio.rawValue,
            MPNowPlayingInfoPropertyElapsedPlaybackTime: currentSeconds,
            // 0 while paused, so the Lock Screen clock stops as well.
            MPNowPlayingInfoPropertyPlaybackRate: Double(player.rate),
            MPNowPlayingInfoPropertyDefaultPlaybackRate: Double(rate),
        ]
        if duration > 0 {
            info[MPMediaItemPropertyPlaybackDuration] = duration
        }
        MPNowPlayingInfoCenter.default().nowPlayingInfo = info
    }

    // MARK: - Remote commands

    /// Lock Screen, Control Center, headphone and CarPlay buttons arrive here. Commands the app
    /// cannot honour are disabled so that the system does not show them.
    private func setUpRemoteCommands() {
        let center = MPRemoteCommandCenter.shared()

        center.playCommand.isEnabled = true
        center.playCommand.addTarget { [weak self] _ in
            guard let self, self.track != nil else { return .noActionableNowPlayingItem }
            self.play()
            return .success
        }

        center.pauseCommand.isEnabled = true
        center.pauseCommand.addTarget { [weak self] _ in
            guard let self else { return .commandFailed }
            self.pause()
            return .success
        }

        center.togglePlayPauseCommand.isEnabled = true
        center.togglePlayPauseCommand.addTarget { [weak self] _ in
            guard let self, self.track != nil else { return .noActionableNowPlayingItem }
            self.togglePlayPause()
            return .success
        }

        // One track, so skipping by a few seconds is more useful than next/previous track.
        center.skipForwardCommand.isEnabled = true
        center.skipForwardCommand.preferredIntervals = [NSNumber(value: AudioPlaybackService.skipInterval)]
        center.skipForwardCommand.addTarget { [weak self] event in
            guard let self else { return .commandFailed }
            let interval = (event as? MPSkipIntervalCommandEvent)?.interval ?? AudioPlaybackService.skipInterval
            self.skip(by: interval)
            return .success
        }

        center.skipBackwardCommand.isEnabled = true
        center.skipBackwardCommand.preferredIntervals = [NSNumber(value: AudioPlaybackService.skipInterval)]
        center.skipBackwardCommand.addTarget { [weak self] event in
            guard let self else { return .commandFailed }
            let interval = (event as? MPSkipIntervalCommandEvent)?.interval ?? AudioPlaybackService.skipInterval
            self.skip(by: -interval)
            return .success
        }

        // Dragging the Lock Screen progress bar.
        center.changePlaybackPositionCommand.isEnabled = true
        center.changePlaybackPositionCommand.addTarget { [weak self] event in
            guard let self, let event = event as? MPChangePlaybackPositionCommandEvent else { return .commandFailed }
            self.seek(to: event.positionTime)
            return .success
        }

        center.changePlaybackRateCommand.isEnabled = true
        center.changePlaybackRateCommand.supportedPlaybackRates = AudioPlaybackService.supportedRates.map { NSNumber(value: $0) }
        center.changePlaybackRateCommand.addTarget { [weak self] event in
            guard let self, let event = event as? MPChangePlaybackRateCommandEvent else { return .commandFailed }
            self.setRate(event.playbackRate)
            return .success
        }

        handledCommands = [
            center.playCommand,
            center.pauseCommand,
            center.togglePlayPauseCommand,
            center.skipForwardCommand,
            center.skipBackwardCommand,
            center.changePlaybackPositionCommand,
            center.changePlaybackRateCommand,
        ]

        let unsupported: [MPRemoteCommand] = [
            center.nextTrackCommand,
            center.previousTrackCommand,
            center.seekForwardCommand,
            center.seekBackwardCommand,
            center.changeRepeatModeCommand,
            center.changeShuffleModeCommand,
            center.ratingCommand,
            center.likeCommand,
            center.dislikeCommand,
            center.bookmarkCommand,
            center.enableLanguageOptionCommand,
            center.disableLanguageOptionCommand,
        ]
        unsupported.forEach { $0.isEnabled = false }
    }
}
