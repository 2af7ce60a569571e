import SwiftUI

struct ChannelView: View {
    /// Shown verbatim (not looked up as a localization key).
    private static let appTitle = "{{appName|swift}}"

    @ObservedObject var pushToTalk: PushToTalkService
    @State private var channelName = ""
    @State private var isHoldingTalkButton = false

    var body: some View {
        NavigationStack {
            VStack(spacing: 24) {
                if !pushToTalk.isReady {
                    ProgressView("Setting up Push to Talk…")
                } else if let channel = pushToTalk.joinedChannelName {
                    joinedView(channel)
                } else {
                    joinForm
                }

                if let problem = pushToTalk.problem {
                    Text(problem)
                        .font(.footnote)
                        .foregroundStyle(.red)
                        .multilineTextAlignment(.center)
                }
            }
            .padding()
            .navigationTitle(Self.appTitle)
        }
    }

    private var joinForm: some View {
        VStack(spacing: 16) {
            TextField("Channel name", text: $channelName)
                .textFieldStyle(.roundedBorder)
                .submitLabel(.join)
                .onSubmit(join)

            Button("Join channel", action: join)
                .buttonStyle(.borderedProminent)
                .disabled(channelName.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)

            Text("Joining works only while the app is open. Once you are in, you can talk and listen from the Lock Screen as well.")
                .font(.footnote)
                .foregroundStyle(.secondary)
                .multilineTextAlignment(.center)
        }
    }

    private func joinedView(_ channel: String) -> some View {
        VStack(spacing: 28) {
            Text(channel)
                .font(.title.bold())
            Text(statusLine)
                .foregroundStyle(.secondary)
            talkButton
            Button("Leave channel", role: .destructive) {
                pushToTalk.leave()
            }
        }
    }

    private var statusLine: String {
        if pushToTalk.isTransmitting {
            return "You are talking"
        }
        if let speaker = pushToTalk.activeSpeaker {
            return "\(speaker) is talking"
        }
        return "Hold the button to talk"
    }

    /// Press and hold to talk, release to stop. The system shows its own talk button on the Lock
    /// Screen; this one is for when the app is open.
    private var talkButton: some View {
        Circle()
            .fill(pushToTalk.isTransmitting ? Color.red : Color.accentColor)
            .frame(width: 180, height: 180)
            .overlay {
                Image(systemName: "mic.fill")
                    .font(.system(size: 56))
                    .foregroundStyle(.white)
            }
            .scaleEffect(isHoldingTalkButton ? 0.94 : 1)
            .animation(.easeOut(duration: 0.15), value: isHoldingTalkButton)
            .gesture(
                DragGesture(minimumDistance: 0)
                    .onChanged { _ in
                        guard !isHoldingTalkButton else { return }
                        isHoldingTalkButton = true
                        pushToTalk.beginTransmitting()
                    }
                    .onEnded { _ in
                        isHoldingTalkButton = false
                        pushToTalk.stopTransmitting()
                    }
            )
            .accessibilityElement()
            .accessibilityLabel("Talk")
            .accessibilityHint("Double-tap to start talking, and again to stop.")
            .accessibilityAddTraits(.isButton)
            .accessibilityAction {
                if pushToTalk.isTransmitting {
                    pushToTalk.stopTransmitting()
                } else {
                    pushToTalk.beginTransmitting()
                }
            }
    }

    private func join() {
        pushToTalk.join(channelNamed: channelName)
    }
}
