import SwiftUI

struct PlayerView: View {
    @ObservedObject var playback: AudioPlaybackService
    /// Position under the user's finger while the slider is dragged; nil otherwise.
    @State private var scrubPosition: TimeInterval? = nil

    var body: some View {
        VStack(spacing: 28) {
            Spacer()

            Image(systemName: "waveform.circle.fill")
                .font(.system(size: 120))
                .foregroundStyle(.tint)
                .accessibilityHidden(true)

            VStack(spacing: 6) {
                Text(playback.track?.title ?? "No track")
                    .font(.title2.bold())
                Text(playback.track?.artist ?? "")
                    .foregroundStyle(.secondary)
            }

            progress
            controls
            speedPicker

            if let problem = playback.problem {
                Text(problem)
                    .font(.footnote)
                    .foregroundStyle(.red)
                    .multilineTextAlignment(.center)
            }

            Spacer()

            Text("Lock the screen or switch apps: playback continues, and the controls appear on the Lock Screen and in Control Center.")
                .font(.footnote)
                .foregroundStyle(.secondary)
                .multilineTextAlignment(.center)
        }
        .padding()
    }

    private var progress: some View {
        VStack(spacing: 4) {
            Slider(
                value: Binding(
                    get: { scrubPosition ?? playback.elapsed },
                    set: { scrubPosition = $0 }
                ),
                in: 0...max(playback.duration, 1),
                onEditingChanged: { isEditing in
                    guard !isEditing, let target = scrubPosition else { return }
                    playback.seek(to: target)
                    scrubPosition = nil
                }
            )
            .accessibilityLabel("Position")

            HStack {
                Text(Self.clock(scrubPosition ?? playback.elapsed))
                Spacer()
                Text(Self.clock(playback.duration))
            }
            .font(.caption.monospacedDigit())
            .foregroundStyle(.secondary)
        }
        .disabled(playback.track == nil)
    }

    private var controls: some View {
        HStack(spacing: 44) {
            Button {
                playback.skip(by: -AudioPlaybackService.skipInterval)
            } label: {
                Image(systemName: "gobackward.15")
                    .font(.title)
            }
            .accessibilityLabel("Back 15 seconds")

            Button {
                playback.togglePlayPause()
            } label: {
                Image(systemName: playback.isPlaying ? "pause.circle.fill" : "play.circle.fill")
                    .font(.system(size: 64))
            }
            .accessibilityLabel(playback.isPlaying ? "Pause" : "Play")

            Button {
                playback.skip(by: AudioPlaybackService.skipInterval)
            } label: {
                Image(systemName: "goforward.15")
                    .font(.title)
            }
            .accessibilityLabel("Forward 15 seconds")
        }
        .disabled(playback.track == nil)
    }

    private var speedPicker: some View {
        Picker("Speed", selection: Binding(get: { playback.rate }, set: { playback.setRate($0) })) {
            ForEach(AudioPlaybackService.supportedRates, id: \.self) { rate in
                Text(Self.speedLabel(rate))
                    .tag(rate)
            }
        }
        .pickerStyle(.segmented)
    }

    private static func clock(_ seconds: TimeInterval) -> String {
        guard seconds.isFinite, seconds > 0 else { return "0:00" }
        let total = Int(seconds.rounded(.down))
        return String(format: "%d:%02d", total / 60, total % 60)
    }

    private static func speedLabel(_ rate: Float) -> String {
        String(format: "%g×", Double(rate))
    }
}

// A PreviewProvider rather than the `#Preview` macro: the tree-sitter Swift grammar that
// `audiobg doctor` parses with does not know freestanding macros yet.
struct PlayerView_Previews: PreviewProvider {
    static var previews: some View {
        PlayerView(playback: AudioPlaybackService())
    }
}
