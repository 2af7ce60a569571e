package {{packageName}};

import android.app.PendingIntent;
import android.content.Intent;
import androidx.media3.common.AudioAttributes;
import androidx.media3.common.C;
import androidx.media3.exoplayer.ExoPlayer;
import androidx.media3.session.MediaSession;
import androidx.media3.session.MediaSessionService;

/**
 * Owns the player and its media session. Because it is a MediaSessionService, Media3 posts the
 * media notification and moves this service into the foreground while audio plays, which is what
 * keeps playback alive with the screen locked or the app in the background.
 */
public class PlaybackService extends MediaSessionService {

    // Null before onCreate and after onDestroy.
    private MediaSession mediaSession;

    @Override
    public void onCreate() {
        super.onCreate();

        AudioAttributes audioAttributes = new AudioAttributes.Builder()
                .setUsage(C.USAGE_MEDIA)
                .setContentType(C.AUDIO_CONTENT_TYPE_MUSIC)
                .build();

        ExoPlayer player = new ExoPlayer.Builder(this)
                // true = ExoPlayer requests audio focus and reacts to losing it (pause for a call,
                // duck for a navigation prompt). It only accepts USAGE_MEDIA or USAGE_GAME here.
                .setAudioAttributes(audioAttributes, true)
                // Pause when headphones are unplugged instead of switching to the loudspeaker.
                .setHandleAudioBecomingNoisy(true)
                // Hold a partial wake lock while playing so the CPU keeps decoding with the screen off.
                .setWakeMode(C.WAKE_MODE_LOCAL)
                .build();

        // Tapping the notification or the lock-screen controls opens the app's launcher activity.
        // It is looked up at run time so this service can be dropped into any app (audiobg add).
        MediaSession.Builder builder = new MediaSession.Builder(this, player);
        Intent launch = getPackageManager().getLaunchIntentForPackage(getPackageName());
        if (launch != null) {
            builder.setSessionActivity(
                    PendingIntent.getActivity(this, 0, launch, PendingIntent.FLAG_IMMUTABLE | PendingIntent.FLAG_UPDATE_CURRENT));
        }
        // What to play comes from controllers (a MediaController in your activity sets the items).
        mediaSession = builder.build();
    }

    // Every controller (the activity, system UI, Bluetooth, Android Auto) gets the same session.
    @Override
    public MediaSession onGetSession(MediaSession.ControllerInfo controllerInfo) {
        return mediaSession;
    }

    // Called when the user swipes the app away from Recents. Media3's own implementation is the
    // right behaviour: keep the service if audio is playing, otherwise pause and stop it. It is
    // called explicitly instead of pauseAllPlayersAndStopSelf() (@UnstableApi) or
    // player.pause() + stopSelf(), which Media3 1.6+ ignores while the paused session still holds
    // the foreground for its grace period.
    @Override
    public void onTaskRemoved(Intent rootIntent) {
        super.onTaskRemoved(rootIntent);
    }

    // Release the player and the session, or the decoder, the wake lock and the session's binder
    // outlive the service.
    @Override
    public void onDestroy() {
        if (mediaSession != null) {
            mediaSession.getPlayer().release();
            mediaSession.release();
            mediaSession = null;
        }
        super.onDestroy();
    }
}
