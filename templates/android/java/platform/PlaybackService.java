package {{packageName}};

import android.app.ForegroundServiceStartNotAllowedException;
import android.app.Notification;
import android.app.NotificationChannel;
import android.app.NotificationManager;
import android.app.PendingIntent;
import android.app.Service;
import android.content.BroadcastReceiver;
import android.content.Context;
import android.content.Intent;
import android.content.IntentFilter;
import android.content.pm.ServiceInfo;
import android.graphics.drawable.Icon;
import android.media.AudioAttributes;
import android.media.AudioFocusRequest;
import android.media.AudioManager;
import android.media.MediaMetadata;
import android.media.MediaPlayer;
import android.media.session.MediaSession;
import android.media.session.PlaybackState;
import android.os.Build;
import android.os.IBinder;
import android.os.PowerManager;
import android.util.Log;

/**
 * Background playback on framework APIs only: MediaPlayer for the audio, a platform MediaSession
 * for lock-screen, Bluetooth and system UI controls, and a foreground service of type
 * mediaPlayback so the system keeps the process alive while audio plays.
 *
 * Commands arrive three ways and all end in play(), pause() or stop(): intents sent to
 * onStartCommand (the activity and the notification buttons), MediaSession callbacks (media
 * buttons, system UI) and audio focus changes (onAudioFocusChange).
 *
 * Runs on minSdk 23 (Android 6.0) and up: calls added later (AudioFocusRequest and notification
 * channels in 26, the foreground service type in 29) sit behind Build.VERSION.SDK_INT checks with
 * the older equivalent beside them.
 */
public class PlaybackService extends Service implements AudioManager.OnAudioFocusChangeListener {

    public static final String ACTION_PLAY = "{{packageName}}.action.PLAY";
    public static final String ACTION_PAUSE = "{{packageName}}.action.PAUSE";
    public static final String ACTION_STOP = "{{packageName}}.action.STOP";

    private static final String TAG = "PlaybackService";
    private static final String CHANNEL_ID = "playback";
    // Any non-zero id: startForeground() rejects 0.
    private static final int NOTIFICATION_ID = 1;
    private static final float DUCK_VOLUME = 0.2f;

    private AudioManager audioManager;
    private NotificationManager notificationManager;
    private MediaSession mediaSession;
    // Android 8+ only; older releases request focus with the listener and a stream type.
    private AudioFocusRequest focusRequest;
    private MediaPlayer player;

    private int playbackState = PlaybackState.STATE_NONE;
    private boolean inForeground;
    private boolean resumeOnFocusGain;
    private boolean noisyReceiverRegistered;

    // Unplugging headphones or disconnecting a Bluetooth headset: pause rather than carry on
    // through the loudspeaker. This broadcast is only delivered to receivers registered at
    // runtime (targetSdk 26+), so it is registered while playing and unregistered otherwise.
    private final BroadcastReceiver becomingNoisyReceiver = new BroadcastReceiver() {
        @Override
        public void onReceive(Context context, Intent intent) {
            if (AudioManager.ACTION_AUDIO_BECOMING_NOISY.equals(intent.getAction())) {
                pause();
            }
        }
    };

    private final MediaSession.Callback sessionCallback = new MediaSession.Callback() {
        @Override
        public void onPlay() {
            play();
        }

        @Override
        public void onPause() {
            pause();
        }

        @Override
        public void onStop() {
            stop();
        }
    };

    /** True while audio is audible (for tests and callers that need the state). */
    boolean isPlaying() {
        return player != null && player.isPlaying();
    }

    @Override
    public void onCreate() {
        super.onCreate();
        audioManager = (AudioManager) getSystemService(Context.AUDIO_SERVICE);
        notificationManager = (NotificationManager) getSystemService(Context.NOTIFICATION_SERVICE);
        createNotificationChannel();

        // USAGE_MEDIA routes the audio like music (media volume, A2DP, not the earpiece) and is
        // what audio focus decisions are based on.
        AudioAttributes attributes = new AudioAttributes.Builder()
                .setUsage(AudioAttributes.USAGE_MEDIA)
                .setContentType(AudioAttributes.CONTENT_TYPE_MUSIC)
                .build();

        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.O) {
            focusRequest = new AudioFocusRequest.Builder(AudioManager.AUDIOFOCUS_GAIN)
                    .setAudioAttributes(attributes)
                    .setOnAudioFocusChangeListener(this)
                    .build();
        }

        // create() with attributes prepares the player with them already applied.
        player = MediaPlayer.create(this, R.raw.sample, attributes, audioManager.generateAudioSessionId());
        if (player != null) {
            // Partial wake lock while playing: the CPU keeps feeding the decoder with the screen off.
            player.setWakeMode(this, PowerManager.PARTIAL_WAKE_LOCK);
            player.setOnCompletionListener(mp -> {
                // End of the track: rewind and behave like a user pause.
                mp.seekTo(0);
                pause();
            });
        }

        MediaMetadata metadata = new MediaMetadata.Builder()
                .putString(MediaMetadata.METADATA_KEY_TITLE, appLabel())
                .putLong(MediaMetadata.METADATA_KEY_DURATION, player != null ? player.getDuration() : 0L)
                .build();
        mediaSession = new MediaSession(this, "PlaybackService");
        mediaSession.setCallback(sessionCallback);
        mediaSession.setSessionActivity(activityIntent());
        mediaSession.setMetadata(metadata);
        publishState(PlaybackState.STATE_NONE);
    }

    @Override
    public int onStartCommand(Intent intent, int flags, int startId) {
        String action = intent != null ? intent.getAction() : null;
        if (ACTION_PLAY.equals(action)) {
            play();
        } else if (ACTION_PAUSE.equals(action)) {
            pause();
        } else if (ACTION_STOP.equals(action)) {
            stop();
        }
        // Do not recreate the service with a null intent after the process is killed: playback
        // resumes only when the user asks for it.
        return START_NOT_STICKY;
    }

    // Started service only; controllers reach it through the MediaSession, not a binder.
    @Override
    public IBinder onBind(Intent intent) {
        return null;
    }

    void play() {
        if (player == null || player.isPlaying()) return;

        // Never start audio without focus. From Android 15 (targetSdk 35) the request is denied
        // to an app that is neither visible nor running a foreground service.
        if (requestFocus() != AudioManager.AUDIOFOCUS_REQUEST_GRANTED) {
            Log.w(TAG, "Audio focus not granted; not starting playback");
            return;
        }
        // Enter the foreground before the first sample plays, so the process is protected from
        // the moment there is sound.
        if (!showNotification(true)) {
            abandonFocus();
            return;
        }

        resumeOnFocusGain = false;
        player.setVolume(1f, 1f);
        player.start();
        registerNoisyReceiver();
        mediaSession.setActive(true);
        publishState(PlaybackState.STATE_PLAYING);
    }

    /** Pause requested by the user (or the system on their behalf). */
    void pause() {
        if (playbackState != PlaybackState.STATE_PLAYING && playbackState != PlaybackState.STATE_PAUSED) {
            // Nothing was playing (for example a Pause intent reached a fresh service).
            stopSelf();
            return;
        }
        resumeOnFocusGain = false;
        haltPlayback();
        abandonFocus();
        publishState(PlaybackState.STATE_PAUSED);

        // Leave the foreground but keep the notification (DETACH): the user can resume from it or
        // swipe it away. The system may stop the idle service after a while; onDestroy then removes
        // the notification. Resuming is always a user action (notification, activity, media
        // button), and those may start a foreground service from the background.
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.N) {
            stopForeground(Service.STOP_FOREGROUND_DETACH);
        } else {
            stopForeground(false);
        }
        inForeground = false;
        notificationManager.notify(NOTIFICATION_ID, buildNotification(false));
    }

    void stop() {
        resumeOnFocusGain = false;
        haltPlayback();
        if (player != null) {
            player.seekTo(0);
        }
        abandonFocus();
        publishState(PlaybackState.STATE_STOPPED);
        mediaSession.setActive(false);

        // Stop means done: remove the notification and end the service.
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.N) {
            stopForeground(Service.STOP_FOREGROUND_REMOVE);
        } else {
            stopForeground(true);
        }
        inForeground = false;
        notificationManager.cancel(NOTIFICATION_ID);
        stopSelf();
    }

    @Override
    public void onAudioFocusChange(int focusChange) {
        switch (focusChange) {
            case AudioManager.AUDIOFOCUS_GAIN:
                if (player != null) {
                    player.setVolume(1f, 1f);
                }
                if (resumeOnFocusGain) {
                    play();
                }
                break;
            // Another app needs the audio for a while (a call, a voice note): pause, keep the
            // focus request and the foreground, and resume when focus comes back.
            case AudioManager.AUDIOFOCUS_LOSS_TRANSIENT:
                if (isPlaying()) {
                    haltPlayback();
                    resumeOnFocusGain = true;
                    publishState(PlaybackState.STATE_PAUSED);
                    showNotification(false);
                }
                break;
            // A short overlapping sound (a navigation prompt): lower the volume until focus returns.
            // On Android 8+ the system usually ducks by itself and this callback does not arrive.
            case AudioManager.AUDIOFOCUS_LOSS_TRANSIENT_CAN_DUCK:
                if (player != null) {
                    player.setVolume(DUCK_VOLUME, DUCK_VOLUME);
                }
                break;
            // Another app took over playback for good: pause and do not resume on our own.
            case AudioManager.AUDIOFOCUS_LOSS:
                pause();
                break;
            default:
                break;
        }
    }

    // Swiped away from Recents: keep playing if audio is audible, otherwise clean up.
    @Override
    public void onTaskRemoved(Intent rootIntent) {
        if (!isPlaying()) {
            stop();
        }
        super.onTaskRemoved(rootIntent);
    }

    @Override
    public void onDestroy() {
        unregisterNoisyReceiver();
        abandonFocus();
        // A detached notification outlives the service; remove it so it cannot control nothing.
        notificationManager.cancel(NOTIFICATION_ID);
        mediaSession.release();
        if (player != null) {
            player.release();
            player = null;
        }
        super.onDestroy();
    }

    /** Pauses the MediaPlayer and stops listening for headphone unplugs. */
    private void haltPlayback() {
        if (player != null && player.isPlaying()) {
            player.pause();
        }
        unregisterNoisyReceiver();
    }

    /**
     * Posts the notification, entering the foreground if the service is not there yet. Returns
     * false if Android refused the foreground start.
     */
    private boolean showNotification(boolean playing) {
        Notification notification = buildNotification(playing);
        if (inForeground) {
            notificationManager.notify(NOTIFICATION_ID, notification);
            return true;
        }
        try {
            // The type must be part of the manifest's foregroundServiceType ("mediaPlayback").
            // Before Android 10 there is no type argument; the manifest's type applies.
            if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.Q) {
                startForeground(NOTIFICATION_ID, notification, ServiceInfo.FOREGROUND_SERVICE_TYPE_MEDIA_PLAYBACK);
            } else {
                startForeground(NOTIFICATION_ID, notification);
            }
        } catch (IllegalStateException e) {
            // Android 12+ throws ForegroundServiceStartNotAllowedException when a start does not
            // come from the user (app in the background, no exemption). Do not play unprotected.
            if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.S && e instanceof ForegroundServiceStartNotAllowedException) {
                Log.w(TAG, "Not allowed to enter the foreground; playback not started", e);
                return false;
            }
            throw e;
        }
        inForeground = true;
        return true;
    }

    private Notification buildNotification(boolean playing) {
        Notification.Action toggle = playing
                ? action(android.R.drawable.ic_media_pause, R.string.playback_pause, ACTION_PAUSE)
                : action(android.R.drawable.ic_media_play, R.string.playback_play, ACTION_PLAY);
        Notification.Builder builder;
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.O) {
            builder = new Notification.Builder(this, CHANNEL_ID);
        } else {
            // Before Android 8 there are no channels; the low priority matches the channel's importance.
            builder = new Notification.Builder(this).setPriority(Notification.PRIORITY_LOW);
        }
        return builder
                .setSmallIcon(android.R.drawable.ic_media_play)
                .setContentTitle(appLabel())
                .setContentText(getString(playing ? R.string.playback_status_playing : R.string.playback_status_paused))
                .setContentIntent(activityIntent())
                // Swiping the paused notification away ends the service.
                .setDeleteIntent(serviceIntent(ACTION_STOP))
                // Show the controls on the lock screen.
                .setVisibility(Notification.VISIBILITY_PUBLIC)
                .setOngoing(playing)
                .addAction(toggle)
                .addAction(action(android.R.drawable.ic_menu_close_clear_cancel, R.string.playback_stop, ACTION_STOP))
                // MediaStyle tied to the session token: the system renders media controls for it and
                // treats it as a media notification.
                .setStyle(new Notification.MediaStyle()
                        .setMediaSession(mediaSession.getSessionToken())
                        .setShowActionsInCompactView(0, 1))
                .build();
    }

    private Notification.Action action(int icon, int title, String command) {
        return new Notification.Action.Builder(Icon.createWithResource(this, icon), getString(title), serviceIntent(command))
                .build();
    }

    private PendingIntent serviceIntent(String command) {
        return PendingIntent.getService(
                this,
                command.hashCode(),
                new Intent(this, PlaybackService.class).setAction(command),
                PendingIntent.FLAG_IMMUTABLE | PendingIntent.FLAG_UPDATE_CURRENT);
    }

    // Tapping the notification or the lock-screen controls opens the app's launcher activity.
    // Looked up at run time so the service can be dropped into any app (audiobg add).
    private PendingIntent activityIntent() {
        Intent launch = getPackageManager().getLaunchIntentForPackage(getPackageName());
        if (launch == null) return null;
        return PendingIntent.getActivity(this, 0, launch, PendingIntent.FLAG_IMMUTABLE | PendingIntent.FLAG_UPDATE_CURRENT);
    }

    // The app's own label, shown as the notification and session title.
    private String appLabel() {
        return getApplicationInfo().loadLabel(getPackageManager()).toString();
    }

    private void publishState(int state) {
        playbackState = state;
        long position = player != null ? player.getCurrentPosition() : PlaybackState.PLAYBACK_POSITION_UNKNOWN;
        mediaSession.setPlaybackState(new PlaybackState.Builder()
                .setActions(PlaybackState.ACTION_PLAY | PlaybackState.ACTION_PAUSE
                        | PlaybackState.ACTION_PLAY_PAUSE | PlaybackState.ACTION_STOP)
                .setState(state, position, state == PlaybackState.STATE_PLAYING ? 1f : 0f)
                .build());
    }

    private int requestFocus() {
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.O && focusRequest != null) {
            return audioManager.requestAudioFocus(focusRequest);
        }
        // Android 6 and 7: the stream type stands for the usage (STREAM_MUSIC is USAGE_MEDIA).
        return audioManager.requestAudioFocus(this, AudioManager.STREAM_MUSIC, AudioManager.AUDIOFOCUS_GAIN);
    }

    private void abandonFocus() {
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.O && focusRequest != null) {
            audioManager.abandonAudioFocusRequest(focusRequest);
        } else {
            audioManager.abandonAudioFocus(this);
        }
    }

    private void registerNoisyReceiver() {
        if (noisyReceiverRegistered) return;
        IntentFilter filter = new IntentFilter(AudioManager.ACTION_AUDIO_BECOMING_NOISY);
        // NOT_EXPORTED (Android 13+): only the system may deliver this broadcast to us.
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU) {
            registerReceiver(becomingNoisyReceiver, filter, Context.RECEIVER_NOT_EXPORTED);
        } else {
            registerReceiver(becomingNoisyReceiver, filter);
        }
        noisyReceiverRegistered = true;
    }

    private void unregisterNoisyReceiver() {
        if (!noisyReceiverRegistered) return;
        unregisterReceiver(becomingNoisyReceiver);
        noisyReceiverRegistered = false;
    }

    private void createNotificationChannel() {
        // Channels exist from Android 8. Low importance: the notification is silent and does not pop up.
        if (Build.VERSION.SDK_INT < Build.VERSION_CODES.O) return;
        NotificationChannel channel = new NotificationChannel(
                CHANNEL_ID,
                getString(R.string.playback_channel_name),
                NotificationManager.IMPORTANCE_LOW);
        notificationManager.createNotificationChannel(channel);
    }
}
